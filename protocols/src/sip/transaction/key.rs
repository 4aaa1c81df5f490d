//! Matching messages to transactions (RFC 3261 §17.1.3 and §17.2.3).
//!
//! A request whose top Via branch starts with the magic cookie `z9hG4bK` is matched by
//! branch, sent-by and method (ACK counts as INVITE; CANCEL has transactions of its own).
//! Older (RFC 2543) requests are matched by Request-URI, From tag, To tag, Call-ID,
//! CSeq and top Via instead. A response is matched to a client transaction by the branch
//! of its top Via and the method of its CSeq.

use crate::sip::{Message, Method, ParseError};

/// The RFC 3261 branch prefix.
pub const MAGIC_COOKIE: &str = "z9hG4bK";

/// The key of a client transaction.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClientKey {
    pub branch: String,
    pub method: MethodKey,
}

/// The key of a server transaction.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServerKey {
    /// The branch, or for RFC 2543 requests the fields that identify the transaction.
    pub id: String,
    pub sent_by: String,
    pub method: MethodKey,
}

/// The method part of a key: ACK is folded into INVITE.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MethodKey(pub String);

impl MethodKey {
    pub fn of(method: &Method) -> MethodKey {
        match method {
            Method::Ack => MethodKey("INVITE".into()),
            other => MethodKey(other.to_string()),
        }
    }

    pub fn is_invite(&self) -> bool {
        self.0 == "INVITE"
    }
}

/// The client key a response belongs to.
pub fn client_key(response: &Message) -> Result<Option<ClientKey>, ParseError> {
    let vias = response.via()?;
    let Some(branch) = vias.first().and_then(|v| v.branch()) else {
        return Ok(None);
    };
    let method = MethodKey::of(&response.cseq()?.method);
    Ok(Some(ClientKey {
        branch: branch.to_owned(),
        method,
    }))
}

/// The client key of a request the TU is about to send.
pub fn client_key_of_request(request: &Message) -> Result<Option<ClientKey>, ParseError> {
    client_key(request)
}

/// The server key a request belongs to. `as_method` overrides the request's own method
/// (a CANCEL looks up the INVITE it cancels).
pub fn server_key(request: &Message, as_method: Option<&Method>) -> Result<ServerKey, ParseError> {
    let vias = request.via()?;
    let top = vias.first();
    let method = as_method
        .or(request.method())
        .cloned()
        .unwrap_or(Method::Invite);
    let sent_by = top.map(|v| match v.port {
        Some(port) => format!("{}:{port}", v.host),
        None => v.host.to_string(),
    });
    let sent_by = sent_by.unwrap_or_default();
    let method = MethodKey::of(&method);
    match top
        .and_then(|v| v.branch())
        .filter(|b| b.starts_with(MAGIC_COOKIE))
    {
        Some(branch) => Ok(ServerKey {
            id: branch.to_owned(),
            sent_by,
            method,
        }),
        None => Ok(ServerKey {
            id: rfc2543_id(request)?,
            sent_by,
            method,
        }),
    }
}

/// RFC 3261 §17.2.3's fallback: Request-URI, From tag, Call-ID, CSeq number and top Via
/// (the sent-by, in the key beside it). The To tag is left out: an ACK carries the tag
/// the response added, which its INVITE did not, and the CSeq number already tells the
/// requests of a dialog apart.
fn rfc2543_id(request: &Message) -> Result<String, ParseError> {
    let uri = request
        .request_line()
        .map(|l| l.uri.to_string())
        .unwrap_or_default();
    let from = request.from()?;
    let cseq = request.cseq()?.seq;
    let call_id = request.call_id()?.0;
    Ok(format!(
        "2543|{uri}|{}|{call_id}|{cseq}",
        from.tag().unwrap_or("")
    ))
}
