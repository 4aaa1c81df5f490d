//! `decode sdp`: one session description on stdin, its fields as JSON.
//!
//! Besides the lines as read, each media description lists its payload types resolved
//! through `a=rtpmap` or the RFC 3551 static table, with their `a=fmtp` parameters, and
//! the direction, packet time and connection that apply to it after session-level
//! defaults.

use std::time::Duration;

use protocols::sdp::{
    self, Address, Attribute, Bandwidth, Connection, EventSet, Fmtp, MediaDescription, SdpError,
    SessionDescription,
};
use serde_json::{Value, json};

use super::{DecodeFailure, Location};

pub fn decode(input: &[u8]) -> Result<Value, DecodeFailure> {
    let sdp = sdp::parse(input).map_err(failure)?;
    Ok(session(&sdp))
}

fn failure(err: SdpError) -> DecodeFailure {
    let (location, reason) = match err {
        SdpError::TooLarge { max, .. } => (Location::Byte(max), err.to_string()),
        SdpError::Malformed {
            offset,
            line,
            expected,
        } => (
            Location::Line(line),
            format!("byte {offset}: expected {expected}"),
        ),
        SdpError::Unsupported { offset, line, what } => (
            Location::Line(line),
            format!("byte {offset}: unsupported {what}"),
        ),
    };
    DecodeFailure { location, reason }
}

fn session(sdp: &SessionDescription) -> Value {
    let media: Vec<Value> = (0..sdp.media.len()).map(|i| media(sdp, i)).collect();
    json!({
        "version": 0,
        "origin": {
            "username": sdp.origin.username,
            "session_id": sdp.origin.session_id,
            "session_version": sdp.origin.session_version,
            "address": address(&sdp.origin.address),
        },
        "session_name": sdp.session_name,
        "information": sdp.information,
        "uri": sdp.uri,
        "emails": sdp.emails,
        "phones": sdp.phones,
        "connection": sdp.connection.as_ref().map(connection),
        "bandwidths": bandwidths(&sdp.bandwidths),
        "timing": sdp.timings.iter().map(|t| json!({
            "start": t.start,
            "stop": t.stop,
            "repeats": t.repeats,
        })).collect::<Vec<_>>(),
        "time_zones": sdp.time_zones,
        "encryption_key": sdp.encryption_key,
        "attributes": attributes(&sdp.attributes),
        "media": media,
    })
}

fn media(sdp: &SessionDescription, index: usize) -> Value {
    let m = &sdp.media[index];
    json!({
        "media": m.media,
        "port": m.port,
        "port_count": m.port_count,
        "proto": m.proto,
        "formats": m.formats,
        "payloads": payloads(m),
        "information": m.information,
        "connections": m.connections.iter().map(connection).collect::<Vec<_>>(),
        "effective_connection": sdp.media_connection(index).map(connection),
        "bandwidths": bandwidths(&m.bandwidths),
        "encryption_key": m.encryption_key,
        "direction": sdp.media_direction(index).as_str(),
        "ptime": sdp.media_ptime(index).map(millis),
        "maxptime": m.maxptime().map(millis),
        "rtcp": m.rtcp().map(|r| json!({
            "port": r.port,
            "address": r.address.as_ref().map(address),
        })),
        "rtcp_mux": m.rtcp_mux(),
        "attributes": attributes(&m.attributes),
    })
}

/// Each RTP payload type of the `m=` line with what it carries.
fn payloads(m: &MediaDescription) -> Vec<Value> {
    let payload = |pt: u8| {
        let codec = m.codec(pt);
        json!({
            "payload_type": pt,
            "encoding": codec.map(|c| c.encoding),
            "clock_rate": codec.map(|c| c.clock_rate),
            "channels": codec.and_then(|c| c.channels),
            "static": m.rtpmap(pt).is_none() && codec.is_some(),
            "fmtp": m.fmtp(pt).map(|f| f.params.as_str()),
            "events": codec
                .filter(|c| c.encoding.eq_ignore_ascii_case(sdp::TELEPHONE_EVENT))
                .map(|_| events(m.fmtp(pt))),
        })
    };
    m.payload_types().map(payload).collect()
}

/// The telephone-event list, RFC 4733's default `0-15` when there is no `a=fmtp`.
fn events(fmtp: Option<&Fmtp>) -> Value {
    match fmtp {
        Some(fmtp) => json!(fmtp.events().map(|e| e.to_string())),
        None => json!(EventSet::DTMF.to_string()),
    }
}

fn address(a: &Address) -> Value {
    json!({
        "nettype": "IN",
        "addrtype": a.addr_type.as_str(),
        "host": a.host.to_string(),
    })
}

fn connection(c: &Connection) -> Value {
    json!({
        "address": address(&c.address),
        "ttl": c.ttl,
        "count": c.count,
        "hold": c.is_hold(),
    })
}

fn bandwidths(list: &[Bandwidth]) -> Vec<Value> {
    list.iter()
        .map(|b| json!({ "type": b.kind, "value": b.value }))
        .collect()
}

/// Every attribute as `{name, value}`, in order.
fn attributes(list: &[Attribute]) -> Vec<Value> {
    let attribute = |a: &Attribute| {
        let text = a.to_string();
        match text.split_once(':') {
            Some((name, value)) => json!({ "name": name, "value": value }),
            None => json!({ "name": text, "value": null }),
        }
    };
    list.iter().map(attribute).collect()
}

/// Milliseconds: an integer when whole.
fn millis(d: Duration) -> Value {
    let micros = d.as_micros();
    if micros.is_multiple_of(1000) {
        json!(micros / 1000)
    } else {
        json!(d.as_secs_f64() * 1000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFER: &str = "v=0\r\n\
        o=- 1 2 IN IP4 192.0.2.1\r\n\
        s=-\r\n\
        c=IN IP4 192.0.2.1\r\n\
        t=0 0\r\n\
        a=sendonly\r\n\
        m=audio 4000 RTP/AVP 0 101\r\n\
        a=rtpmap:101 telephone-event/8000\r\n\
        a=fmtp:101 0-15\r\n\
        a=ptime:20\r\n";

    #[test]
    fn media_payloads_are_resolved() {
        let json = decode(OFFER.as_bytes()).unwrap();
        let m = &json["media"][0];
        assert_eq!(m["payloads"][0]["encoding"], "PCMU");
        assert_eq!(m["payloads"][0]["static"], true);
        assert_eq!(m["payloads"][1]["encoding"], "telephone-event");
        assert_eq!(m["payloads"][1]["fmtp"], "0-15");
        assert_eq!(m["payloads"][1]["events"], "0-15");
        assert_eq!(m["payloads"][0]["events"], Value::Null);
        assert_eq!(m["direction"], "sendonly");
        assert_eq!(m["ptime"], 20);
        assert_eq!(m["effective_connection"]["address"]["host"], "192.0.2.1");
        assert_eq!(json["origin"]["address"]["addrtype"], "IP4");
    }

    #[test]
    fn errors_name_the_line_and_byte() {
        let bad = OFFER.replace("m=audio 4000", "m=audio x");
        let err = decode(bad.as_bytes()).unwrap_err();
        assert_eq!(err.location, Location::Line(7));
        assert_eq!(err.reason, "byte 83: expected a port");
    }

    #[test]
    fn fractional_ptime_stays_fractional() {
        assert_eq!(millis(Duration::from_micros(22_500)), json!(22.5));
    }
}
