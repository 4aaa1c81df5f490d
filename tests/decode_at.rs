//! `callbackd decode at` end to end: the binary on transcripts from `tests/data/at/`.

#[path = "support/decode.rs"]
mod support;

use std::process::Output;

fn decode_at(path: &str) -> Output {
    let input = std::fs::read(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    support::decode("at", &input)
}

#[test]
fn transcript_decodes_to_json() {
    let out = decode_at("tests/data/at/simcom_urc_interleaved.txt");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lines = json.as_array().unwrap();
    let find = |text: &str| {
        lines
            .iter()
            .find(|l| l["text"] == text)
            .unwrap_or_else(|| panic!("{text} missing"))
    };
    assert_eq!(find("AT+DDET=1")["dir"], "host");
    assert_eq!(find("AT+DDET=1")["command"], "simcom_dtmf_detect_on");
    let clcc = find("+CLCC: 1,1,4,0,0,\"601111222\",129,\"\"");
    assert_eq!(clcc["kind"], "info");
    assert_eq!(clcc["stat"], "incoming");
    // The +CRING between the +CLCC line and OK is unsolicited.
    let rings: Vec<_> = lines
        .iter()
        .filter(|l| l["text"] == "+CRING: VOICE")
        .collect();
    assert!(
        rings
            .iter()
            .all(|r| r["kind"] == "urc" && r["result"] == "ring")
    );
    let dtmf = find("+DTMF: 2");
    assert_eq!(
        (&dtmf["kind"], &dtmf["digit"]),
        (&"urc".into(), &"2".into())
    );
}

#[test]
fn every_transcript_decodes() {
    let dir = format!("{}/tests/data/at", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".txt") && !name.starts_with("malformed") {
            let out = decode_at(&format!("tests/data/at/{name}"));
            assert_eq!(
                out.status.code(),
                Some(0),
                "{name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn malformed_transcript_exits_2_naming_the_line() {
    let out = decode_at("tests/data/at/malformed_clcc.txt");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("line 8"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(out.stdout.is_empty());
}
