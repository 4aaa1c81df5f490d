//! Header values the user agent puts on what it sends: Via, Contact, Allow, the
//! responses of a UAS.

use std::net::SocketAddr;

use crate::call::Cause;
use crate::sip::header::{Allow, Contact, Reason, Supported, To, Transport, Via};
use crate::sip::{Host, Message, MessageBuilder, Method, NameAddr, Params, SipUri, Uri};

use super::cause_map::{cause_text, reason_phrase};
use super::config::UaConfig;

/// The methods we accept (PRACK is only sent: we send no reliable provisionals).
pub const ALLOWED: [Method; 6] = [
    Method::Invite,
    Method::Ack,
    Method::Cancel,
    Method::Bye,
    Method::Options,
    Method::Info,
];

/// The SIP host of a socket address.
pub fn host(addr: SocketAddr) -> Host {
    match addr {
        SocketAddr::V4(a) => Host::V4(*a.ip()),
        SocketAddr::V6(a) => Host::V6(*a.ip()),
    }
}

/// `sip:[user@]addr:port[;params]`.
pub fn uri(user: Option<&str>, addr: SocketAddr) -> SipUri {
    let mut u = SipUri::new(user, host(addr));
    u.port = Some(addr.port());
    u
}

/// Our top Via with `branch`, asking for `rport` (RFC 3581).
pub fn via(config: &UaConfig, branch: &str) -> Via {
    let mut via = Via::new(
        config.transport.clone(),
        host(config.local),
        Some(config.local.port()),
        branch,
    );
    via.params.push("rport", None);
    via
}

/// Where the peer reaches us directly.
pub fn contact(config: &UaConfig) -> Contact {
    let mut u = uri(Some("callbackd"), config.local);
    if config.transport != Transport::Udp {
        u.params
            .push("transport", Some(&config.transport.as_str().to_lowercase()));
    }
    Contact::new(NameAddr::new(Uri::Sip(u)))
}

/// Allow: the methods we accept.
pub fn capabilities(builder: MessageBuilder) -> MessageBuilder {
    let mut builder = builder;
    for method in ALLOWED {
        builder = builder.header(&Allow(method));
    }
    builder
}

/// Supported: 100rel, on our INVITEs (we PRACK reliable provisionals, RFC 3262).
pub fn supported(builder: MessageBuilder) -> MessageBuilder {
    builder.header(&Supported("100rel".into()))
}

/// `Reason: Q.850;cause=N;text="…"` (RFC 3326).
pub fn reason(cause: Cause) -> Reason {
    let mut r = Reason::q850(cause.value());
    r.params
        .push("text", Some(&format!("\"{}\"", cause_text(cause))));
    r
}

/// The Q.850 cause of the first `Reason: Q.850` header of a message.
pub fn q850_cause(message: &Message) -> Option<Cause> {
    let reasons = message.reasons().ok()?;
    reasons
        .iter()
        .filter(|r| r.protocol.eq_ignore_ascii_case("Q.850"))
        .find_map(|r| Cause::new(u8::try_from(r.cause()?).ok()?))
}

/// A response to `request` with our To tag (when given) and a Server header.
pub fn response(
    config: &UaConfig,
    request: &Message,
    code: u16,
    local_tag: Option<&str>,
) -> MessageBuilder {
    let mut builder = Message::response_to(request, code, reason_phrase(code));
    if let (Some(tag), Ok(mut to)) = (local_tag, request.to()) {
        if to.tag().is_none() {
            to.set_tag(tag);
        }
        builder = builder.replace::<To>(&to);
    }
    if (101..300).contains(&code) {
        builder = builder.header(&contact(config));
    }
    builder.raw_header("Server", &config.user_agent)
}

/// Parameters with one `user=phone`.
pub fn user_phone() -> Params {
    let mut params = Params::default();
    params.push("user", Some("phone"));
    params
}
