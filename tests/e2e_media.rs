//! What goes on the wire during a whole callback, dissected by Wireshark's own dissectors
//! (tshark): every SIP and RTP packet decodes without a malformed-packet or error-level
//! expert item, and the audio the node sends the mobile after answering is its dial
//! tone — 425 Hz (tone plan `pl`), read back from the captured RTP payloads.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;

use protocols::g711::Law;
use support::{Node, Ports, Setup, Sipp, WAIT, require, scenario, trigger_args, uas_args};

/// A tshark capture on the loopback interface, limited to one test's ports.
struct Capture {
    child: std::process::Child,
    file: std::path::PathBuf,
}

impl Capture {
    fn start(dir: &std::path::Path, ports: Ports) -> Capture {
        require("tshark");
        let file = dir.join("capture.pcapng");
        let filter = format!("udp portrange {}-{}", ports.base, ports.base + 199);
        let mut child = Command::new("tshark")
            .args(["-i", "lo", "-f", &filter, "-w"])
            .arg(&file)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tshark starts");
        // tshark says when it has started capturing.
        let stderr = child.stderr.take().unwrap();
        let (tx, started) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.contains("Capturing on") {
                    let _ = tx.send(());
                }
            }
        });
        started.recv_timeout(WAIT).expect("tshark starts capturing");
        Capture { child, file }
    }

    /// Stops the capture and waits for tshark to write the file.
    fn stop(mut self) -> std::path::PathBuf {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
        self.file.clone()
    }
}

/// `tshark -r FILE` with RTP found by its heuristic, printing `fields` of the packets
/// matching `filter`, one line per packet.
fn dissect(file: &std::path::Path, filter: &str, fields: &[&str]) -> Vec<String> {
    let mut cmd = Command::new("tshark");
    cmd.arg("-r")
        .arg(file)
        .args(["-o", "rtp.heuristic_rtp:TRUE", "-Y", filter, "-T", "fields"]);
    for field in fields {
        cmd.args(["-e", field]);
    }
    let out = cmd.output().expect("tshark reads the capture");
    assert!(
        out.status.success(),
        "tshark: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// tshark prints bytes as `d5:d5:…` or `d5d5…` depending on its version.
fn hex_bytes(hex: &str) -> Vec<u8> {
    let digits: Vec<u8> = hex.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits
        .chunks(2)
        .filter_map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect()
}

fn goertzel(samples: &[i16], frequency: f64) -> f64 {
    let coeff = 2.0 * (2.0 * std::f64::consts::PI * frequency / 8000.0).cos();
    let (mut s1, mut s2) = (0.0, 0.0);
    for &x in samples {
        let s = f64::from(x) + coeff * s1 - s2;
        s2 = s1;
        s1 = s;
    }
    s1 * s1 + s2 * s2 - coeff * s1 * s2
}

#[test]
fn a_callback_on_the_wire_decodes_cleanly_and_the_dial_tone_is_425_hz() {
    require("sipp");
    let ports = Ports::block(20);
    let mut node = Node::start("wire", ports, &Setup::default());
    let capture = Capture::start(&node.dir, ports);
    let far = Sipp::start(
        &node.dir,
        "far",
        &uas_args(&scenario("far-end.xml"), ports.far(), ports.far_media()),
    );
    let mobile = Sipp::start(
        &node.dir,
        "mobile",
        &uas_args(
            &scenario("mobile.xml"),
            ports.mobile(),
            ports.mobile_media(),
        ),
    );
    let trigger_sipp = Sipp::start(
        &node.dir,
        "trigger",
        &trigger_args(
            ports,
            &scenario("trigger.xml"),
            "127.0.0.1",
            ports.operator(),
        ),
    );
    for sipp in [&trigger_sipp, &mobile, &far] {
        assert!(sipp.wait(), "{} failed: {}", sipp.name, sipp.errors());
    }
    assert_eq!(node.cdrs(1)[0].outcome, "bridged");
    let file = capture.stop();

    // Every packet of the call, dissected: SIP and RTP present, nothing malformed.
    let sip = dissect(&file, "sip", &["sip.Method", "sip.Status-Code"]);
    assert!(
        sip.len() >= 12,
        "the trigger, the callback and the transit call: {sip:?}"
    );
    let rtp = dissect(&file, "rtp", &["rtp.p_type"]);
    assert!(
        rtp.len() > 200,
        "audio both ways: {} RTP packets",
        rtp.len()
    );
    let events = dissect(&file, "rtpevent", &["rtpevent.event_id"]);
    assert!(!events.is_empty(), "the mobile's RFC 4733 keys");
    // Relayed both ways once bridged: the far end's speech reaches the mobile, the
    // mobile's reaches the far end.
    let to_far = dissect(
        &file,
        &format!("rtp && udp.dstport == {}", ports.far_media()),
        &["rtp.ssrc"],
    );
    let from_far = dissect(
        &file,
        &format!("rtp && udp.srcport == {}", ports.far_media()),
        &["rtp.ssrc"],
    );
    assert!(
        to_far.len() > 100 && from_far.len() > 100,
        "{} to the far end, {} from it",
        to_far.len(),
        from_far.len()
    );
    let far_ssrc = &from_far[0];
    let to_mobile_ssrcs = dissect(
        &file,
        &format!("rtp && udp.dstport == {}", ports.mobile_media()),
        &["rtp.ssrc"],
    );
    assert!(
        to_mobile_ssrcs.iter().any(|s| s == far_ssrc),
        "the far end's stream is relayed to the mobile"
    );
    let bad = dissect(
        &file,
        "_ws.malformed || _ws.expert.severity == \"error\"",
        &["frame.number", "_ws.col.Info"],
    );
    assert!(bad.is_empty(), "malformed or erroneous packets: {bad:?}");

    // The first second the node sent to the mobile's RTP port: dial tone.
    let to_mobile = format!(
        "rtp && udp.dstport == {} && rtp.p_type == 8",
        ports.mobile_media()
    );
    let payloads = dissect(&file, &to_mobile, &["rtp.payload"]);
    let samples: Vec<i16> = payloads
        .iter()
        .take(50)
        .flat_map(|hex| hex_bytes(hex))
        .map(|b| Law::Alaw.decode(b))
        .collect();
    assert!(
        samples.len() >= 8000,
        "a second of audio, got {} samples",
        samples.len()
    );
    let tone = goertzel(&samples, 425.0);
    for other in [350.0, 400.0, 440.0, 480.0, 1000.0] {
        assert!(
            tone > 100.0 * goertzel(&samples, other),
            "425 Hz dominates {other} Hz"
        );
    }
    drop(node);
}
