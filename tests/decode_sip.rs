//! `callbackd decode sip` on RFC 4475 messages, through the built binary.

#[path = "support/decode.rs"]
mod support;

use std::path::PathBuf;
use std::process::Output;

fn decode(file: &str) -> Output {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "data", "rfc4475", file]
        .iter()
        .collect();
    support::decode("sip", &std::fs::read(&path).unwrap())
}

#[test]
fn valid_message_decodes_to_json() {
    let out = decode("wsinv.dat");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["kind"], "request");
    assert_eq!(json["method"], "INVITE");
    assert_eq!(json["request_uri"]["host"], "chair-dnrc.example.com");
    assert_eq!(json["typed"]["via"][1]["branch"], "z9hG4bK9ikj8");
    assert_eq!(json["typed"]["from"]["tag"], "98asjd8");
    assert_eq!(json["typed"]["call_id"], "wsinv.ndaksdj@192.0.2.1");
    assert_eq!(json["body"]["length"], 150);
}

#[test]
fn response_decodes_to_json() {
    let out = decode("noreason.dat");
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (json["kind"].as_str(), json["status"].as_u64()),
        (Some("response"), Some(100))
    );
}

#[test]
fn invalid_message_exits_2_with_one_line_naming_the_byte() {
    let out = decode("lwsstart.dat");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("at byte 7: expected Request-URI"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn unsupported_version_is_reported_as_such() {
    let out = decode("badvers.dat");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("byte 33") && stderr.contains("unsupported"),
        "{stderr}"
    );
}
