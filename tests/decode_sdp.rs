//! `callbackd decode sdp` as a user runs it: a description on stdin, JSON on stdout, or
//! exit status 2 and one line naming where the input went wrong.

#[path = "support/decode.rs"]
mod support;

use std::path::PathBuf;
use std::process::Output;

fn data(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/sdp")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn decode(input: &[u8]) -> Output {
    support::decode("sdp", input)
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

#[test]
fn good_offer_prints_json_and_exits_0() {
    let out = decode(&data("asterisk-offer.sdp"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["origin"]["session_id"], 1796226483u64);
    assert_eq!(v["session_name"], "Asterisk");
    assert_eq!(v["connection"]["address"]["host"], "192.0.2.20");
    assert_eq!(v["timing"][0]["start"], 0);
    let m = &v["media"][0];
    assert_eq!(
        (m["port"].as_u64(), m["proto"].as_str()),
        (Some(10758), Some("RTP/AVP"))
    );
    assert_eq!(m["formats"], serde_json::json!(["0", "8", "101"]));
    assert_eq!(m["payloads"][1]["encoding"], "PCMA");
    assert_eq!(m["payloads"][2]["encoding"], "telephone-event");
    assert_eq!(m["payloads"][2]["fmtp"], "0-16");
    assert_eq!(m["direction"], "sendrecv");
    assert_eq!(m["ptime"], 20);
    assert_eq!(m["maxptime"], 150);
}

#[test]
fn two_streams_and_session_attributes() {
    let out = decode(&data("two-streams.sdp"));
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(
        v["attributes"][0],
        serde_json::json!({"name": "tool", "value": "example"})
    );
    assert_eq!(v["media"][0]["media"], "video");
    assert_eq!(
        v["media"][0]["effective_connection"]["address"]["host"],
        "198.51.100.41"
    );
    assert_eq!(
        v["media"][1]["effective_connection"]["address"]["host"],
        "198.51.100.40"
    );
    assert_eq!(v["media"][1]["payloads"][2]["fmtp"], "mode=30");
}

#[test]
fn hold_offer_shows_the_direction() {
    let v = json(&decode(&data("hold.sdp")));
    assert_eq!(v["media"][0]["direction"], "sendonly");
    let v = json(&decode(&data("hold-rfc2543.sdp")));
    assert_eq!(v["connection"]["hold"], true);
}

#[test]
fn bad_description_exits_2_with_one_line_naming_the_line() {
    let table = [
        ("bad/port.sdp", "at line 6: byte 71: expected a port"),
        (
            "bad/no-origin.sdp",
            "at line 2: byte 5: expected an o= line after v=",
        ),
        ("bad/rtpmap.sdp", "at line 7: byte 104: expected '/'"),
    ];
    for (name, message) in table {
        let out = decode(&data(name));
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(out.stdout.is_empty(), "{name}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{name}: {stderr}");
        assert_eq!(
            stderr.trim_end(),
            format!("callbackd decode sdp: {message}"),
            "{name}"
        );
    }
}

#[test]
fn oversized_input_is_refused() {
    let out = decode(&vec![b'a'; 1 << 20]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("at byte 16384"), "{stderr}");
}
