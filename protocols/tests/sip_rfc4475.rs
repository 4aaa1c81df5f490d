//! RFC 4475 "SIP Torture Test Messages", byte-exact from `tests/data/rfc4475/`.
//!
//! One row per message: its RFC section, and where it must end up. Valid messages parse,
//! validate, and survive serialize → parse unchanged (byte for byte, up to the end of
//! their body). Invalid ones are refused either by the parser or by
//! `Message::validate` — the layer is part of the expectation.

use std::path::PathBuf;

use protocols::sip::{ErrorClass, ErrorKind, Expected, Message, Method, Unsupported};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    /// Parses and validates.
    Valid,
    /// Parses (the syntax is fine) but `validate()` refuses it.
    Invalid,
    /// The parser refuses it.
    Refused,
}

use Outcome::{Invalid, Refused, Valid};

const TABLE: &[(&str, &str, Outcome)] = &[
    // §3.1.1 Valid messages.
    ("wsinv.dat", "3.1.1.1 A Short Tortuous INVITE", Valid),
    (
        "intmeth.dat",
        "3.1.1.2 Wide Range of Valid Characters",
        Valid,
    ),
    (
        "esc01.dat",
        "3.1.1.3 Valid Use of the % Escaping Mechanism",
        Valid,
    ),
    ("escnull.dat", "3.1.1.4 Escaped Nulls in URIs", Valid),
    (
        "esc02.dat",
        "3.1.1.5 Use of % When It Is Not an Escape",
        Valid,
    ),
    (
        "lwsdisp.dat",
        "3.1.1.6 Message with No LWS between Display Name and <",
        Valid,
    ),
    ("longreq.dat", "3.1.1.7 Long Values in Header Fields", Valid),
    (
        "dblreq.dat",
        "3.1.1.8 Extra Trailing Octets in a UDP Datagram",
        Valid,
    ),
    (
        "semiuri.dat",
        "3.1.1.9 Semicolon-Separated Parameters in URI User Part",
        Valid,
    ),
    (
        "transports.dat",
        "3.1.1.10 Varied and Unknown Transport Types",
        Valid,
    ),
    ("mpart01.dat", "3.1.1.11 Multipart MIME Message", Valid),
    ("unreason.dat", "3.1.1.12 Unusual Reason Phrase", Valid),
    ("noreason.dat", "3.1.1.13 Empty Reason Phrase", Valid),
    // §3.1.2 Invalid messages.
    (
        "badinv01.dat",
        "3.1.2.1 Extraneous Header Field Separators",
        Invalid,
    ),
    (
        "clerr.dat",
        "3.1.2.2 Content Length Larger Than Message",
        Refused,
    ),
    ("ncl.dat", "3.1.2.3 Negative Content-Length", Refused),
    (
        "scalar02.dat",
        "3.1.2.4 Request Scalar Fields with Overlarge Values",
        Invalid,
    ),
    (
        "scalarlg.dat",
        "3.1.2.5 Response Scalar Fields with Overlarge Values",
        Invalid,
    ),
    (
        "quotbal.dat",
        "3.1.2.6 Unterminated Quoted String in Display Name",
        Invalid,
    ),
    ("ltgtruri.dat", "3.1.2.7 <> Enclosing Request-URI", Refused),
    (
        "lwsruri.dat",
        "3.1.2.8 Malformed SIP Request-URI (embedded LWS)",
        Refused,
    ),
    (
        "lwsstart.dat",
        "3.1.2.9 Multiple SP Separating Request-Line Elements",
        Refused,
    ),
    (
        "trws.dat",
        "3.1.2.10 SP Characters at End of Request-Line",
        Refused,
    ),
    (
        "escruri.dat",
        "3.1.2.11 Escaped Headers in SIP Request-URI",
        Invalid,
    ),
    (
        "baddate.dat",
        "3.1.2.12 Invalid Time Zone in Date Header Field",
        Invalid,
    ),
    (
        "regbadct.dat",
        "3.1.2.13 Failure to Enclose name-addr URI in <>",
        Invalid,
    ),
    ("badaspec.dat", "3.1.2.14 Spaces within addr-spec", Invalid),
    // baddn.dat ends without the empty line closing its header section.
    (
        "baddn.dat",
        "3.1.2.15 Non-token Characters in Display Name",
        Refused,
    ),
    ("badvers.dat", "3.1.2.16 Unknown Protocol Version", Refused),
    (
        "mismatch01.dat",
        "3.1.2.17 Start Line and CSeq Method Mismatch",
        Invalid,
    ),
    (
        "mismatch02.dat",
        "3.1.2.18 Unknown Method with CSeq Method Mismatch",
        Invalid,
    ),
    ("bigcode.dat", "3.1.2.19 Overlarge Response Code", Refused),
    // §3.2 Transaction layer semantics.
    (
        "badbranch.dat",
        "3.2.1 Missing Transaction Identifier",
        Valid,
    ),
    // §3.3 Application layer semantics.
    ("insuf.dat", "3.3.1 Missing Required Header Fields", Invalid),
    ("unkscm.dat", "3.3.2 Request-URI with Unknown Scheme", Valid),
    (
        "novelsc.dat",
        "3.3.3 Request-URI with Known but Atypical Scheme",
        Valid,
    ),
    (
        "unksm2.dat",
        "3.3.4 Unknown URI Schemes in Header Fields",
        Valid,
    ),
    ("bext01.dat", "3.3.5 Proxy-Require and Require", Valid),
    ("invut.dat", "3.3.6 Unknown Content-Type", Valid),
    ("regaut01.dat", "3.3.7 Unknown Authorization Scheme", Valid),
    (
        "multi01.dat",
        "3.3.8 Multiple Values in Single Value Required Fields",
        Invalid,
    ),
    // Two different Content-Length values: no framing is safe, so the parser refuses.
    ("mcl01.dat", "3.3.9 Multiple Content-Length Values", Refused),
    (
        "bcast.dat",
        "3.3.10 200 OK Response with Broadcast Via Header Field Value",
        Valid,
    ),
    ("zeromf.dat", "3.3.11 Max-Forwards of Zero", Valid),
    (
        "cparam01.dat",
        "3.3.12 REGISTER with a Contact Header Parameter",
        Valid,
    ),
    (
        "cparam02.dat",
        "3.3.13 REGISTER with a url-parameter",
        Valid,
    ),
    (
        "regescrt.dat",
        "3.3.14 REGISTER with a URL Escaped Header",
        Valid,
    ),
    ("sdp01.dat", "3.3.15 Unacceptable Accept Offering", Valid),
    // §3.4 Backward compatibility.
    ("inv2543.dat", "3.4.1 INVITE with RFC 2543 Syntax", Valid),
];

fn read(name: &str) -> Vec<u8> {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "tests",
        "data",
        "rfc4475",
        name,
    ]
    .iter()
    .collect();
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn outcome(bytes: &[u8]) -> Outcome {
    match Message::parse(bytes.to_vec()) {
        Err(_) => Refused,
        Ok(m) if m.validate().is_err() => Invalid,
        Ok(_) => Valid,
    }
}

#[test]
fn every_message_meets_its_expected_outcome() {
    let mut wrong = Vec::new();
    for &(file, section, want) in TABLE {
        let got = outcome(&read(file));
        if got != want {
            wrong.push(format!(
                "{file} (§{section}): expected {want:?}, got {got:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_table_covers_every_file() {
    let dir: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "tests", "data", "rfc4475"]
        .iter()
        .collect();
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".dat"))
        .collect();
    files.sort();
    let mut listed: Vec<String> = TABLE.iter().map(|r| r.0.to_owned()).collect();
    listed.sort();
    assert_eq!(files, listed);
}

#[test]
fn parsed_messages_serialize_back_and_parse_equal() {
    for &(file, section, want) in TABLE {
        if want == Refused {
            continue;
        }
        let bytes = read(file);
        let m = Message::parse(bytes.clone()).unwrap();
        let out = m.to_bytes();
        assert!(
            bytes.starts_with(&out),
            "{file} (§{section}) does not serialize byte for byte"
        );
        assert_eq!(Message::parse(out).unwrap(), m, "{file} (§{section})");
    }
}

#[test]
fn wsinv_typed_values() {
    let m = Message::parse(read("wsinv.dat")).unwrap();
    assert_eq!(m.method(), Some(&Method::Invite));
    let via = m.via().unwrap();
    let branches: Vec<_> = via.iter().map(|v| v.branch().unwrap()).collect();
    assert_eq!(branches, ["390skdjuw", "z9hG4bK9ikj8", "z9hG4bK30239"]);
    assert_eq!(m.from().unwrap().tag(), Some("98asjd8"));
    assert_eq!(
        m.from().unwrap().addr.display_name().as_deref(),
        Some(r#"J Rosenberg \""#)
    );
    assert_eq!(m.to().unwrap().tag(), Some("1918181833n"));
    assert_eq!(m.cseq().unwrap().seq, 9);
    assert_eq!(m.max_forwards().unwrap().unwrap().0, 68);
    let contact = &m.contacts().unwrap()[0];
    assert_eq!(
        contact.addr().unwrap().display_name().as_deref(),
        Some(r#"Quoted string """#)
    );
    assert_eq!(m.routes().unwrap().len(), 1);
    assert_eq!(m.body().len(), 150);
    let unknown = m
        .headers()
        .iter()
        .find(|h| h.name().as_str() == "NewFangledHeader")
        .unwrap();
    assert_eq!(
        unknown.value(),
        b"newfangled value\r\n continued newfangled value"
    );
}

#[test]
fn escapes_and_odd_octets_are_kept() {
    let m = Message::parse(read("escnull.dat")).unwrap();
    let contacts = m.contacts().unwrap();
    let user = |k: usize| {
        contacts[k]
            .addr()
            .unwrap()
            .uri
            .as_sip()
            .unwrap()
            .user
            .clone()
    };
    assert_eq!(
        (user(0).as_deref(), user(1).as_deref()),
        (Some("%00"), Some("%00%00"))
    );
    let m = Message::parse(read("unreason.dat")).unwrap();
    assert_eq!(
        m.status_line().unwrap().reason.len(),
        "= 2**3 * 5**2 но сто девяносто девять - простое".len()
    );
    let m = Message::parse(read("mpart01.dat")).unwrap();
    assert_eq!(m.body().len(), 553);
    let m = Message::parse(read("dblreq.dat")).unwrap();
    assert_eq!(m.method(), Some(&Method::Register));
    assert!(m.body().is_empty());
}

#[test]
fn refusals_say_where_and_why() {
    let err = |file: &str| Message::parse(read(file)).unwrap_err();
    assert_eq!(
        err("badvers.dat").kind,
        ErrorKind::Unsupported(Unsupported::SipVersion)
    );
    assert_eq!(err("badvers.dat").class(), ErrorClass::Unsupported);
    assert_eq!(err("lwsstart.dat").offset, 7);
    assert_eq!(
        err("lwsstart.dat").kind,
        ErrorKind::Expected(Expected::RequestUri)
    );
    assert_eq!(err("trws.dat").kind, ErrorKind::Expected(Expected::Crlf));
    assert_eq!(
        err("ncl.dat").kind,
        ErrorKind::Expected(Expected::ContentLength)
    );
    assert!(matches!(
        err("clerr.dat").kind,
        ErrorKind::BodyTruncated { declared: 9999, .. }
    ));
    assert_eq!(err("mcl01.dat").kind, ErrorKind::ConflictingContentLength);
    let invalid = |file: &str| Message::parse(read(file)).unwrap().validate().unwrap_err();
    assert_eq!(
        invalid("mismatch01.dat").kind,
        ErrorKind::CSeqMethodMismatch
    );
    assert_eq!(invalid("escruri.dat").kind, ErrorKind::HeadersInRequestUri);
    assert_eq!(
        invalid("multi01.dat").kind,
        ErrorKind::DuplicateHeader("From")
    );
    assert_eq!(invalid("insuf.dat").kind, ErrorKind::MissingHeader("From"));
    assert_eq!(
        invalid("scalar02.dat").kind,
        ErrorKind::OutOfRange(Expected::CSeq)
    );
}

#[test]
fn baddn_is_also_refused_once_its_header_section_is_closed() {
    // §3.1.2.15: the display name with a comma is what the RFC is after.
    let mut bytes = read("baddn.dat");
    bytes.extend_from_slice(b"\r\n");
    let err = Message::parse(bytes).unwrap().validate().unwrap_err();
    assert_eq!(err.class(), ErrorClass::Malformed);
}
