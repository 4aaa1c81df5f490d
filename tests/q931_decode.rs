//! `callbackd decode q931` end to end: the binary, stdin, exit status and JSON.

#[path = "support/decode.rs"]
mod support;

fn run(input: &str) -> (i32, String, String) {
    let out = support::decode("q931", input.as_bytes());
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn setup_hex_prints_json() {
    // SETUP, CR 5: A-law speech, B1 exclusive, calling +48601111222 (network provided),
    // called 225551000 (national), sending complete.
    let setup = "08 01 05 05\n a1 04 03 80 90 a3 18 01 89\n\
                 6c 0d 11 83 34 38 36 30 31 31 31 31 32 32 32\n\
                 70 0a a1 32 32 35 35 35 31 30 30 30\n";
    let (status, stdout, stderr) = run(setup);
    assert_eq!(status, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["protocol_discriminator"], 8);
    assert_eq!(json["message_type"]["name"], "SETUP");
    assert_eq!(json["message_type"]["code"], 5);
    assert_eq!(json["call_reference"]["flag"], false);
    let ies = json["information_elements"].as_array().unwrap();
    let calling = ies
        .iter()
        .find(|ie| ie["name"] == "calling_party_number")
        .unwrap();
    assert_eq!(calling["digits"], "48601111222");
    assert_eq!(calling["number_type"], "international");
    let called = ies
        .iter()
        .find(|ie| ie["name"] == "called_party_number")
        .unwrap();
    assert_eq!(called["digits"], "225551000");
    let channel = ies
        .iter()
        .find(|ie| ie["name"] == "channel_identification")
        .unwrap();
    assert_eq!(channel["exclusive"], true);
}

#[test]
fn malformed_input_exits_2_naming_the_byte() {
    for input in ["08 01 05 05 04 02 00 90", "08 01 zz", "08 01 05 05 18"] {
        let (status, stdout, stderr) = run(input);
        assert_eq!(status, 2, "{input}: {stdout}");
        assert!(stderr.contains("byte"), "{input}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}
