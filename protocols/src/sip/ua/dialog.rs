//! Dialogs (RFC 3261 §12): the state two user agents share for one call.
//!
//! A dialog is identified by the Call-ID and the two tags. It remembers the URIs of both
//! sides, the local CSeq (incremented for every request we send in it) and the highest
//! remote CSeq (a request with a lower one is out of order: 500, §12.2.2), the remote
//! target from the peer's Contact, and the route set from Record-Route — in received
//! order on the UAS side, reversed on the UAC side (§12.1.1, §12.1.2).
//!
//! Requests in the dialog (§12.2.1.1) go to the remote target, with the route set as
//! Route headers when the first route is a loose router (`;lr`); with a strict router
//! first, the Request-URI is that route and the remote target becomes the last Route.
//! The ACK of a 2xx is built here too: it carries the INVITE's CSeq number (§13.2.2.4).

use std::net::SocketAddr;

use crate::sip::header::{CSeq, CallId, From, MaxForwards, Route, To, Via};
use crate::sip::{Host, Message, MessageBuilder, Method, NameAddr, Params, Uri};

use super::error::InputError;

/// One dialog, early or confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialog {
    pub call_id: String,
    pub local_tag: String,
    /// `None` only for a peer that sends no To tag (RFC 2543).
    pub remote_tag: Option<String>,
    pub local_uri: NameAddr,
    pub remote_uri: NameAddr,
    pub local_seq: u32,
    pub remote_seq: Option<u32>,
    pub remote_target: Uri,
    pub route_set: Vec<Route>,
    /// Where requests in the dialog are sent: the first route or the remote target when
    /// it is an IP address, else the address the dialog was set up with.
    pub destination: SocketAddr,
}

/// The address of a SIP URI whose host is an IP literal (no DNS in a sans-IO machine).
pub fn resolve(uri: &Uri) -> Option<SocketAddr> {
    let sip = uri.as_sip()?;
    let port = sip.port.unwrap_or(5060);
    match sip.host {
        Host::V4(ip) => Some(SocketAddr::from((ip, port))),
        Host::V6(ip) => Some(SocketAddr::from((ip, port))),
        Host::Name(_) => None,
    }
}

fn contact_uri(message: &Message) -> Result<Uri, InputError> {
    let contacts = message.contacts().map_err(InputError::Invalid)?;
    contacts
        .first()
        .and_then(|c| c.addr())
        .map(|a| a.uri.clone())
        .ok_or(InputError::MissingContact)
}

fn routes_of(message: &Message) -> Vec<Route> {
    let rr = message.record_routes().unwrap_or_default();
    rr.into_iter()
        .map(|r| Route {
            addr: r.addr,
            params: r.params,
        })
        .collect()
}

impl Dialog {
    /// The dialog a UAS creates when it answers `request` with a tag of its own.
    pub fn as_uas(
        request: &Message,
        local_tag: &str,
        source: SocketAddr,
    ) -> Result<Dialog, InputError> {
        let from = request.from().map_err(InputError::Invalid)?;
        let to = request.to().map_err(InputError::Invalid)?;
        let mut dialog = Dialog {
            call_id: request.call_id().map_err(InputError::Invalid)?.0,
            local_tag: local_tag.to_owned(),
            remote_tag: from.tag().map(str::to_owned),
            local_uri: to.addr,
            remote_uri: from.addr,
            local_seq: 0,
            remote_seq: Some(request.cseq().map_err(InputError::Invalid)?.seq),
            remote_target: contact_uri(request)?,
            route_set: routes_of(request),
            destination: source,
        };
        dialog.destination = dialog.next_hop().unwrap_or(source);
        Ok(dialog)
    }

    /// The dialog a UAC creates from a response with a To tag to its `request`. A
    /// response without Contact is tolerated: the Request-URI stays the target.
    pub fn as_uac(
        request: &Message,
        response: &Message,
        fallback: SocketAddr,
    ) -> Result<Dialog, InputError> {
        let from = request.from().map_err(InputError::Invalid)?;
        let to = response.to().map_err(InputError::Invalid)?;
        let mut route_set = routes_of(response);
        route_set.reverse();
        let remote_target = contact_uri(response)
            .ok()
            .or_else(|| request.request_line().map(|l| l.uri.clone()))
            .unwrap_or_else(|| to.addr.uri.clone());
        let mut dialog = Dialog {
            call_id: request.call_id().map_err(InputError::Invalid)?.0,
            local_tag: from.tag().unwrap_or_default().to_owned(),
            remote_tag: to.tag().map(str::to_owned),
            local_uri: from.addr,
            remote_uri: to.addr,
            local_seq: request.cseq().map_err(InputError::Invalid)?.seq,
            remote_seq: None,
            remote_target,
            route_set,
            destination: fallback,
        };
        dialog.destination = dialog.next_hop().unwrap_or(fallback);
        Ok(dialog)
    }

    fn next_hop(&self) -> Option<SocketAddr> {
        match self.route_set.first() {
            Some(route) => resolve(&route.addr.uri),
            None => resolve(&self.remote_target),
        }
    }

    /// A target refresh (re-INVITE, its 2xx): the peer's new Contact.
    pub fn refresh_target(&mut self, message: &Message) {
        if let Ok(uri) = contact_uri(message) {
            self.remote_target = uri;
            if let Some(hop) = self.next_hop() {
                self.destination = hop;
            }
        }
    }

    /// Records the CSeq of a request from the peer; `false` if it is out of order.
    pub fn accept_remote_seq(&mut self, seq: u32) -> bool {
        match self.remote_seq {
            Some(last) if seq < last => false,
            _ => {
                self.remote_seq = Some(seq);
                true
            }
        }
    }

    /// The CSeq number of our next request.
    pub fn next_seq(&mut self) -> u32 {
        self.local_seq = self.local_seq.wrapping_add(1) & 0x7fff_ffff;
        self.local_seq
    }

    fn local_party(&self) -> From {
        From::new(self.local_uri.clone(), &self.local_tag)
    }

    fn remote_party(&self) -> To {
        let mut to = To::new(self.remote_uri.clone());
        if let Some(tag) = &self.remote_tag {
            to.set_tag(tag);
        }
        to
    }

    /// A request in the dialog with CSeq `seq` and top Via `via` (§12.2.1.1).
    pub fn request(&self, method: Method, seq: u32, via: &Via) -> MessageBuilder {
        let strict = self
            .route_set
            .first()
            .is_some_and(|r| r.addr.uri.as_sip().is_some_and(|u| !u.params.has("lr")));
        let (uri, routes) = if strict {
            let mut routes: Vec<Route> = self.route_set[1..].to_vec();
            routes.push(Route {
                addr: NameAddr::new(self.remote_target.clone()),
                params: Params::default(),
            });
            (self.route_set[0].addr.uri.clone(), routes)
        } else {
            (self.remote_target.clone(), self.route_set.clone())
        };
        let mut builder = Message::request(method.clone(), uri)
            .header(via)
            .header(&MaxForwards(70))
            .header(&self.local_party())
            .header(&self.remote_party())
            .header(&CallId(self.call_id.clone()))
            .header(&CSeq { seq, method });
        for route in &routes {
            builder = builder.header(route);
        }
        builder
    }

    /// The ACK for the 2xx of the INVITE with CSeq `invite_seq` (§13.2.2.4).
    pub fn ack(&self, invite_seq: u32, via: &Via) -> MessageBuilder {
        self.request(Method::Ack, invite_seq, via)
    }

    /// Whether an incoming request's From tag is the peer's.
    pub fn remote_tag_matches(&self, tag: Option<&str>) -> bool {
        self.remote_tag.is_none() || self.remote_tag.as_deref() == tag
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sip::header::Transport;

    const INVITE: &str = "INVITE sip:+48601111222@192.0.2.1 SIP/2.0\r\n\
Via: SIP/2.0/UDP 192.0.2.9:5070;branch=z9hG4bK1\r\n\
Record-Route: <sip:192.0.2.50;lr>, <sip:192.0.2.51;lr>\r\n\
From: <sip:+48225551000@192.0.2.9>;tag=them\r\nTo: <sip:+48601111222@192.0.2.1>\r\n\
Call-ID: c1@192.0.2.9\r\nCSeq: 10 INVITE\r\nContact: <sip:gw@192.0.2.9:5070>\r\n\r\n";

    fn via() -> Via {
        Via::new(
            Transport::Udp,
            Host::V4([192, 0, 2, 1].into()),
            Some(5060),
            "z9hG4bKx",
        )
    }

    fn addr(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    #[test]
    fn uas_dialog_keeps_the_record_route_order_and_checks_cseq() {
        let invite = Message::parse(INVITE).unwrap();
        let mut d = Dialog::as_uas(&invite, "us", addr("192.0.2.9:5070")).unwrap();
        assert_eq!(d.destination, addr("192.0.2.50:5060"), "the first route");
        let mut seq = d.next_seq();
        let bye = d.request(Method::Bye, seq, &via()).build();
        assert_eq!(
            bye.request_line().unwrap().uri.to_string(),
            "sip:gw@192.0.2.9:5070"
        );
        let routes: Vec<String> = bye
            .routes()
            .unwrap()
            .iter()
            .map(|r| r.addr.to_string())
            .collect();
        assert_eq!(routes, ["<sip:192.0.2.50;lr>", "<sip:192.0.2.51;lr>"]);
        assert_eq!(bye.from().unwrap().tag(), Some("us"));
        assert_eq!(bye.to().unwrap().tag(), Some("them"));
        seq = d.next_seq();
        assert_eq!(seq, 2);
        assert!(!d.accept_remote_seq(9));
        assert!(d.accept_remote_seq(11));
    }

    #[test]
    fn uac_dialog_reverses_routes_and_strict_routers_take_the_request_uri() {
        let invite = Message::parse(INVITE).unwrap();
        let text = INVITE
            .replace(
                "INVITE sip:+48601111222@192.0.2.1 SIP/2.0",
                "SIP/2.0 200 OK",
            )
            .replace("<sip:192.0.2.50;lr>", "<sip:192.0.2.50>")
            .replace("To: <sip:+48601111222@192.0.2.1>", "To: <sip:a@b>;tag=t2");
        let ok = Message::parse(text).unwrap();
        let d = Dialog::as_uac(&invite, &ok, addr("192.0.2.9:5070")).unwrap();
        assert_eq!(d.local_seq, 10);
        assert_eq!(d.remote_tag.as_deref(), Some("t2"));
        let ack = d.ack(10, &via()).build();
        // Reversed: 192.0.2.51;lr first, then the strict 192.0.2.50 — loose routing.
        assert_eq!(
            ack.request_line().unwrap().uri.to_string(),
            "sip:gw@192.0.2.9:5070"
        );
        assert_eq!(ack.cseq().unwrap().seq, 10);
        let mut strict = d.clone();
        strict.route_set.reverse();
        let bye = strict.request(Method::Bye, 11, &via()).build();
        assert_eq!(
            bye.request_line().unwrap().uri.to_string(),
            "sip:192.0.2.50"
        );
        let last = bye.routes().unwrap().pop().unwrap();
        assert_eq!(last.addr.uri.to_string(), "sip:gw@192.0.2.9:5070");
    }

    #[test]
    fn a_dialog_needs_a_contact() {
        let invite =
            Message::parse(INVITE.replace("Contact: <sip:gw@192.0.2.9:5070>\r\n", "")).unwrap();
        assert_eq!(
            Dialog::as_uas(&invite, "us", addr("192.0.2.9:5070")),
            Err(InputError::MissingContact)
        );
    }
}
