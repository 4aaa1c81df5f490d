//! Requests the transaction layer builds itself: the ACK for a non-2xx final response
//! (RFC 3261 §17.1.1.3) and the CANCEL of a pending INVITE (§9.1). Both copy the
//! INVITE's Request-URI, top Via (same branch), From, Call-ID, CSeq number and Route set.

use crate::sip::header::{CSeq, MaxForwards};
use crate::sip::{Message, MessageBuilder, Method};

/// The ACK for `response` (300–699) to `invite`; To carries the response's tag.
pub fn ack_for(invite: &Message, response: &Message) -> Option<Message> {
    let builder = start(Method::Ack, invite)?;
    let builder = match response.to() {
        Ok(to) => builder.header(&to),
        Err(_) => builder,
    };
    Some(finish(builder, invite, Method::Ack))
}

/// The CANCEL for a pending `invite`.
pub fn cancel_for(invite: &Message) -> Option<Message> {
    let builder = start(Method::Cancel, invite)?;
    let builder = match invite.to() {
        Ok(to) => builder.header(&to),
        Err(_) => builder,
    };
    Some(finish(builder, invite, Method::Cancel))
}

fn start(method: Method, invite: &Message) -> Option<MessageBuilder> {
    let uri = invite.request_line()?.uri.clone();
    let mut builder = Message::request(method, uri);
    if let Some(via) = invite.via().ok().and_then(|v| v.into_iter().next()) {
        builder = builder.header(&via);
    }
    builder = builder.header(&MaxForwards(70));
    if let Ok(from) = invite.from() {
        builder = builder.header(&from);
    }
    Some(builder)
}

fn finish(mut builder: MessageBuilder, invite: &Message, method: Method) -> Message {
    if let Ok(call_id) = invite.call_id() {
        builder = builder.header(&call_id);
    }
    if let Ok(cseq) = invite.cseq() {
        builder = builder.header(&CSeq {
            seq: cseq.seq,
            method,
        });
    }
    for route in invite.routes().unwrap_or_default() {
        builder = builder.header(&route);
    }
    builder.build()
}
