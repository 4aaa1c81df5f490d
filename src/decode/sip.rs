//! `decode sip`: one SIP message as JSON — the start line, every header field in order
//! as received, the typed values of the headers the codec knows, and the body.
//!
//! The message is parsed as a datagram (Content-Length optional). A message that does
//! not parse, or whose typed header does not, fails with the byte offset and what the
//! codec expected there.

use protocols::sip::header::{Contact, TypedHeader, Via};
use protocols::sip::{Host, Message, NameAddr, Params, ParseError, StartLine, Uri};
use serde_json::{Map, Value, json};

use super::{DecodeFailure, Location};

pub fn decode(input: &[u8]) -> Result<serde_json::Value, DecodeFailure> {
    let message = Message::parse(input.to_vec()).map_err(failure)?;
    let mut out = Map::new();
    start_line(message.start_line(), &mut out);
    out.insert("headers".into(), headers(&message));
    out.insert("typed".into(), typed(&message).map_err(failure)?);
    let body = message.body();
    out.insert(
        "body".into(),
        json!({ "length": body.len(), "text": String::from_utf8_lossy(body) }),
    );
    Ok(Value::Object(out))
}

fn failure(e: ParseError) -> DecodeFailure {
    DecodeFailure {
        location: Location::Byte(e.offset),
        reason: e.kind.to_string(),
    }
}

fn start_line(line: &StartLine, out: &mut Map<String, Value>) {
    match line {
        StartLine::Request(r) => {
            out.insert("kind".into(), json!("request"));
            out.insert("method".into(), json!(r.method.as_str()));
            out.insert("request_uri".into(), uri(&r.uri));
        }
        StartLine::Response(s) => {
            out.insert("kind".into(), json!("response"));
            out.insert("status".into(), json!(s.code));
            out.insert("reason".into(), json!(String::from_utf8_lossy(&s.reason)));
        }
    }
}

fn headers(message: &Message) -> Value {
    let fields: Vec<Value> = message
        .headers()
        .iter()
        .map(|h| {
            json!({
                "name": String::from_utf8_lossy(h.name_as_written()),
                "canonical": h.name().as_str(),
                "value": String::from_utf8_lossy(h.value()),
            })
        })
        .collect();
    Value::Array(fields)
}

fn params(p: &Params) -> Value {
    Value::Array(
        p.0.iter()
            .map(|p| json!({ "name": p.name, "value": p.value }))
            .collect(),
    )
}

fn host(h: &Host) -> Value {
    match h {
        Host::V6(a) => json!(a.to_string()),
        other => json!(other.to_string()),
    }
}

fn uri(u: &Uri) -> Value {
    let mut v = match u {
        Uri::Sip(s) => json!({
            "scheme": u.scheme(),
            "user": s.user,
            "password": s.password,
            "host": host(&s.host),
            "port": s.port,
            "params": params(&s.params),
            "headers": s.headers.iter().map(|(n, v)| json!({ "name": n, "value": v })).collect::<Vec<_>>(),
        }),
        Uri::Tel(t) => json!({ "scheme": "tel", "number": t.number, "params": params(&t.params) }),
        Uri::Other(o) => json!({ "scheme": o.scheme, "opaque": o.rest }),
    };
    v["text"] = json!(u.to_string());
    v
}

fn name_addr(na: &NameAddr, p: Option<&Params>) -> Value {
    let mut v = json!({ "display_name": na.display_name(), "uri": uri(&na.uri) });
    if let Some(p) = p {
        v["params"] = params(p);
        v["tag"] = json!(p.get("tag").flatten());
    }
    v
}

fn via(v: &Via) -> Value {
    json!({
        "protocol": format!("{}/{}", v.protocol, v.version),
        "transport": v.transport.as_str(),
        "host": host(&v.host),
        "port": v.port,
        "branch": v.branch(),
        "received": v.received(),
        "rport": v.rport().map(|p| p.map_or(json!(true), |p| json!(p))),
        "params": params(&v.params),
    })
}

fn contact(c: &Contact) -> Value {
    match c {
        Contact::Wildcard => json!("*"),
        Contact::Address { addr, params: p } => {
            let mut v = name_addr(addr, Some(p));
            v["expires"] = json!(c.expires());
            v
        }
    }
}

/// Adds `key` when the message carries the header (list headers: every element).
fn put<T: TypedHeader>(
    m: &Message,
    out: &mut Map<String, Value>,
    key: &str,
    f: impl Fn(&T) -> Value,
) -> Result<(), ParseError> {
    let name = T::NAME;
    if m.headers().named(&name).next().is_none() {
        return Ok(());
    }
    let values: Vec<T> = m.headers().all()?;
    let json = if T::LIST {
        Value::Array(values.iter().map(&f).collect())
    } else {
        values.first().map_or(Value::Null, f)
    };
    out.insert(key.into(), json);
    Ok(())
}

fn typed(m: &Message) -> Result<Value, ParseError> {
    use protocols::sip::header as h;
    let mut out = Map::new();
    put::<h::Via>(m, &mut out, "via", via)?;
    put::<h::From>(m, &mut out, "from", |f| name_addr(&f.addr, Some(&f.params)))?;
    put::<h::To>(m, &mut out, "to", |t| name_addr(&t.addr, Some(&t.params)))?;
    put::<h::CallId>(m, &mut out, "call_id", |c| json!(c.0))?;
    put::<h::CSeq>(
        m,
        &mut out,
        "cseq",
        |c| json!({ "seq": c.seq, "method": c.method.as_str() }),
    )?;
    put::<h::Contact>(m, &mut out, "contact", contact)?;
    put::<h::MaxForwards>(m, &mut out, "max_forwards", |x| json!(x.0))?;
    put::<h::ContentLength>(m, &mut out, "content_length", |x| json!(x.0))?;
    put::<h::ContentType>(
        m,
        &mut out,
        "content_type",
        |c| json!({ "type": c.mtype, "subtype": c.subtype, "params": params(&c.params) }),
    )?;
    put::<h::Route>(m, &mut out, "route", |r| {
        name_addr(&r.addr, Some(&r.params))
    })?;
    put::<h::RecordRoute>(m, &mut out, "record_route", |r| {
        name_addr(&r.addr, Some(&r.params))
    })?;
    put::<h::PAssertedIdentity>(m, &mut out, "p_asserted_identity", |p| {
        name_addr(&p.0, None)
    })?;
    put::<h::Privacy>(m, &mut out, "privacy", |p| json!(p.0))?;
    put::<h::Reason>(
        m,
        &mut out,
        "reason",
        |r| json!({ "protocol": r.protocol, "cause": r.cause(), "text": r.text(), "params": params(&r.params) }),
    )?;
    put::<h::RSeq>(m, &mut out, "rseq", |x| json!(x.0))?;
    put::<h::RAck>(
        m,
        &mut out,
        "rack",
        |r| json!({ "rseq": r.rseq, "cseq": r.cseq, "method": r.method.as_str() }),
    )?;
    put::<h::Require>(m, &mut out, "require", |x| json!(x.0))?;
    put::<h::Supported>(m, &mut out, "supported", |x| json!(x.0))?;
    put::<h::Allow>(m, &mut out, "allow", |x| json!(x.0.as_str()))?;
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_with_typed_headers() {
        let msg = b"INVITE sip:+48601111222@gw;user=phone SIP/2.0\r\n\
v: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;rport\r\n\
f: \"Jan\" <sip:101@pbx>;tag=a\r\nt: <sip:+48601111222@gw>\r\ni: c1@pbx\r\n\
CSeq: 1 INVITE\r\nReason: Q.850;cause=16;text=\"Normal\"\r\nl: 0\r\n\r\n";
        let v = decode(msg).unwrap();
        assert_eq!(v["kind"], "request");
        assert_eq!(v["method"], "INVITE");
        assert_eq!(v["request_uri"]["user"], "+48601111222");
        assert_eq!(v["headers"][0]["name"], "v");
        assert_eq!(v["headers"][0]["canonical"], "Via");
        assert_eq!(v["typed"]["via"][0]["branch"], "z9hG4bK1");
        assert_eq!(v["typed"]["via"][0]["rport"], true);
        assert_eq!(v["typed"]["from"]["display_name"], "Jan");
        assert_eq!(v["typed"]["from"]["tag"], "a");
        assert_eq!(v["typed"]["cseq"]["seq"], 1);
        assert_eq!(v["typed"]["reason"][0]["cause"], 16);
        assert_eq!(v["body"]["length"], 0);
    }

    #[test]
    fn malformed_input_names_the_offset() {
        let err = decode(b"INVITE sip:a@b SIP/2.0\r\nCSeq: x\r\n\r\n").unwrap_err();
        assert_eq!(err.location, Location::Byte(30));
        assert_eq!(err.to_string(), "at byte 30: expected CSeq number");
    }

    #[test]
    fn header_helper_is_used() {
        let h = protocols::sip::header::Header::new(protocols::sip::header::HeaderName::Via, b"x");
        assert_eq!(h.name_as_written(), b"Via");
    }
}
