//! What the end-to-end tests share: the node as a child process on a configuration of
//! its own (loopback ports from a block per test), SIPp peers, and tshark captures.
//! Every wait is bounded and driven by an event — a log line, a process exit — never by
//! sleeping; a tool that is missing fails the test loudly.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// The longest any single wait may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(60);

/// The mobile number and trigger number of the test configuration.
pub const MOBILE: &str = "+48601111222";
pub const TRIGGER: &str = "48225551000";

/// Ports of one test: every listener of the node and of its peers.
#[derive(Debug, Clone, Copy)]
pub struct Ports {
    pub base: u16,
}

impl Ports {
    /// A block of 100 ports for test number `n` (each test file picks its own n).
    pub fn block(n: u16) -> Ports {
        Ports {
            base: 30000 + n * 200,
        }
    }
    pub fn operator(&self) -> u16 {
        self.base
    }
    pub fn pbx(&self) -> u16 {
        self.base + 2
    }
    pub fn pstn(&self) -> u16 {
        self.base + 4
    }
    pub fn untrusted(&self) -> u16 {
        self.base + 6
    }
    /// The mobile's SIPp (the operator trunk's peer).
    pub fn mobile(&self) -> u16 {
        self.base + 10
    }
    /// The far end's SIPp (peer of the pbx and pstn trunks).
    pub fn far(&self) -> u16 {
        self.base + 12
    }
    /// Where the trigger SIPp sends from.
    pub fn trigger(&self) -> u16 {
        self.base + 14
    }
    pub fn metrics(&self) -> u16 {
        self.base + 16
    }
    pub fn mobile_media(&self) -> u16 {
        self.base + 20
    }
    pub fn far_media(&self) -> u16 {
        self.base + 30
    }
    /// The node's RTP range: the upper half of the block.
    pub fn rtp(&self) -> (u16, u16) {
        (self.base + 100, self.base + 199)
    }
}

/// What a test changes in the configuration.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The `[callback]` table's lines.
    pub callback: String,
    /// The mobile's transit flag (TrEn).
    pub transit: bool,
    /// The operator trunk (trigger and callback) runs over TCP.
    pub tcp: bool,
}

impl Default for Setup {
    fn default() -> Setup {
        Setup {
            callback: CALLBACK.into(),
            transit: true,
            tcp: false,
        }
    }
}

impl Setup {
    /// The default timers plus `line` (a key not in [`CALLBACK`]), or with a default
    /// replaced when `line` sets one of its keys.
    pub fn with(mut self, line: &str) -> Setup {
        let key = line.split('=').next().unwrap().trim();
        let kept: Vec<&str> = self
            .callback
            .lines()
            .filter(|l| !l.starts_with(&format!("{key} ")))
            .collect();
        self.callback = format!("{}\n{line}", kept.join("\n"));
        self
    }
}

/// Timers shortened so a whole callback takes seconds.
pub const CALLBACK: &str = "reject_after = \"1s\"\ndelay = \"1s\"\nanswer_timeout = \"5s\"\nfirst_digit_timeout = \"3s\"\ndigit_timeout = \"3s\"";

/// The test configuration: an operator trunk (the mobile's network), a PBX trunk for
/// internal extensions, a PSTN trunk for `+48612…` numbers (both reach the far-end
/// SIPp), and an untrusted trunk.
pub fn config(ports: Ports, dir: &Path, setup: &Setup) -> String {
    let (rtp_low, rtp_high) = ports.rtp();
    let split = rtp_low + 50;
    format!(
        r#"
[node]
name = "e2e"

[metrics]
listen = "127.0.0.1:{metrics}"

[cdr]
path = "{dir}/cdr.sqlite"

[callback]
{callback}

[[trunk]]
name = "operator"
kind = "sip"
listen = "127.0.0.1:{operator}"
transport = "{transport}"
peer = "127.0.0.1:{mobile}"
trusted_cli = true
rtp_ports = "{rtp_low}-{split_m1}"
keepalive = "0s"

[[trunk]]
name = "pbx"
kind = "sip"
listen = "127.0.0.1:{pbx}"
peer = "127.0.0.1:{far}"
trusted_cli = true
rtp_ports = "{split}-{rtp_high}"
keepalive = "0s"

[[trunk]]
name = "pstn"
kind = "sip"
listen = "127.0.0.1:{pstn}"
peer = "127.0.0.1:{far}"
trusted_cli = true
rtp_ports = "{split}-{rtp_high}"
keepalive = "0s"

[[trunk]]
name = "untrusted"
kind = "sip"
listen = "127.0.0.2:{untrusted}"

[[trigger]]
number = "+{trigger}"

[[user]]
extension = "101"
class = "national"
direct_rate = 1.79
  [[user.mobile]]
  number = "{mobile_number}"
  transit = {transit}

[[class]]
name = "national"
allow = ["+48"]
deny = ["+48 70"]

[dialplan]
internal = ["1XX"]
internal_trunk = "pbx"

[[route]]
prefix = ""
trunks = ["operator"]

[[route]]
prefix = "+48612"
trunks = ["pstn"]

[[tariff]]
trunk = "operator"
per_minute = 0.10
"#,
        metrics = ports.metrics(),
        dir = dir.display(),
        operator = ports.operator(),
        mobile = ports.mobile(),
        pbx = ports.pbx(),
        far = ports.far(),
        pstn = ports.pstn(),
        untrusted = ports.untrusted(),
        split_m1 = split - 1,
        trigger = TRIGGER,
        mobile_number = MOBILE,
        callback = setup.callback,
        transit = setup.transit,
        transport = if setup.tcp { "tcp" } else { "udp" },
    )
}

/// A fresh directory for one test.
pub fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("callbackd-e2e-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink("/usr/share/sip-tester", dir.join("pcap")).unwrap();
    dir
}

/// Fails the test unless `tool` is on the PATH.
pub fn require(tool: &str) {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .stdout(Stdio::null())
        .status();
    assert!(
        found.is_ok_and(|s| s.success()),
        "{tool} is not installed: run scripts/test.sh, which installs the test peers"
    );
}

/// The node under test.
pub struct Node {
    child: Child,
    pub dir: PathBuf,
    pub ports: Ports,
    lines: Receiver<String>,
    pub log: Vec<String>,
}

impl Node {
    pub fn start(name: &str, ports: Ports, setup: &Setup) -> Node {
        let dir = workdir(name);
        let path = dir.join("callbackd.toml");
        std::fs::write(&path, config(ports, &dir, setup)).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_callbackd"))
            .args(["run", "--config"])
            .arg(&path)
            .env("RUST_LOG", "debug")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the callbackd binary starts");
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        let log_path = dir.join("node.log");
        std::thread::spawn(move || {
            let mut file = std::fs::File::create(log_path).unwrap();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                use std::io::Write;
                let _ = writeln!(file, "{line}");
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut node = Node {
            child,
            dir,
            ports,
            lines,
            log: Vec::new(),
        };
        node.wait_for("callbackd running");
        node
    }

    /// Waits for a log line containing `text`; returns it.
    pub fn wait_for(&mut self, text: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.log.push(line.clone());
                    if line.contains(text) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no log line with {text:?} within {WAIT:?}; the node logged:\n{}",
                    self.log.join("\n")
                ),
            }
        }
    }

    /// Whether a line containing `text` has been seen (without waiting).
    pub fn logged(&mut self, text: &str) -> bool {
        while let Ok(line) = self.lines.try_recv() {
            self.log.push(line);
        }
        self.log.iter().any(|l| l.contains(text))
    }

    /// The CDRs written so far (after waiting for `cdrs` "CDR written" lines).
    pub fn cdrs(&mut self, count: usize) -> Vec<engine::cdr::Cdr> {
        for _ in 0..count {
            self.wait_for("CDR written");
        }
        let store = engine::cdr::store::CdrStore::open(&self.dir.join("cdr.sqlite")).unwrap();
        store.list(&engine::cdr::store::Filter::default()).unwrap()
    }

    pub fn metrics(&self) -> String {
        let out = Command::new("curl")
            .args([
                "-s",
                &format!("http://127.0.0.1:{}/metrics", self.ports.metrics()),
            ])
            .output()
            .expect("curl runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        signal_process(self.child.id(), "TERM");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::yield_now();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn signal_process(pid: u32, signal: &str) {
    let _ = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .stderr(Stdio::null())
        .status();
}

/// A SIPp peer.
pub struct Sipp {
    pid: u32,
    pub name: String,
    pub dir: PathBuf,
    done: Receiver<std::process::ExitStatus>,
}

impl Sipp {
    /// Starts `sipp` with `args` in `dir` (which holds the `pcap` link), tracing its
    /// messages and errors to files named after `name`.
    pub fn start(dir: &Path, name: &str, args: &[String]) -> Sipp {
        require("sipp");
        let mut child: Child = Command::new("sipp")
            .current_dir(dir)
            .args(args)
            .args(["-trace_msg", "-message_file", &format!("{name}.msg")])
            .args(["-trace_err", "-error_file", &format!("{name}.err")])
            .args(["-timeout", "50s", "-timeout_error"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sipp starts");
        let (tx, done) = mpsc::channel();
        let pid = child.id();
        std::thread::spawn(move || {
            let status = child.wait().unwrap();
            let _ = tx.send(status);
        });
        Sipp {
            pid,
            name: name.to_owned(),
            dir: dir.to_owned(),
            done,
        }
    }

    /// Waits for SIPp to finish; returns whether every call succeeded (exit 0).
    pub fn wait(&self) -> bool {
        let status = self.done.recv_timeout(WAIT).expect("SIPp finishes in time");
        status.success()
    }

    /// What SIPp sent and received.
    pub fn messages(&self) -> String {
        std::fs::read_to_string(self.dir.join(format!("{}.msg", self.name))).unwrap_or_default()
    }

    pub fn errors(&self) -> String {
        std::fs::read_to_string(self.dir.join(format!("{}.err", self.name))).unwrap_or_default()
    }

    /// The received messages that start with `start_line` (e.g. `"SIP/2.0 486"`,
    /// `"INVITE "`).
    pub fn received(&self, start_line: &str) -> Vec<String> {
        self.messages()
            .split("----------------------------------------------- ")
            .filter(|m| m.contains("message received"))
            .filter_map(|m| {
                m.split_once("\n\n")
                    .map(|(_, body)| body.trim_start().to_owned())
            })
            .filter(|body| body.starts_with(start_line))
            .collect()
    }
}

impl Drop for Sipp {
    fn drop(&mut self) {
        // Harmless when it has already exited.
        signal_process(self.pid, "KILL");
    }
}

/// Scenario files shipped in `deploy/sipp`.
pub fn scenario(name: &str) -> String {
    format!("{}/deploy/sipp/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The mobile scenario with other keys than 1, 0, 2 (each key's pcap has its own RTP
/// timestamp, so a key may appear only once per call; `#` is `pound`, `*` is `star`).
pub fn mobile_dialling(dir: &Path, keys: &str) -> String {
    let text = std::fs::read_to_string(scenario("mobile.xml")).unwrap();
    let start = text
        .find("  <nop><action><exec play_pcap_audio=\"pcap/dtmf_2833_1.pcap\"")
        .unwrap();
    let end = text.find("  <!-- In the call").unwrap();
    let mut plays = String::new();
    for key in keys.chars() {
        let file = match key {
            '#' => "pound".to_owned(),
            '*' => "star".to_owned(),
            d => d.to_string(),
        };
        plays += &format!(
            "  <nop><action><exec play_pcap_audio=\"pcap/dtmf_2833_{file}.pcap\"/></action></nop>\n  <pause milliseconds=\"400\"/>\n"
        );
    }
    let path = dir.join(format!(
        "mobile-{}.xml",
        keys.replace('#', "H").replace('*', "S")
    ));
    std::fs::write(
        &path,
        format!("{}{plays}\n{}", &text[..start], &text[end..]),
    )
    .unwrap();
    path.display().to_string()
}

/// Arguments for the trigger SIPp: the mobile calls the trigger number.
pub fn trigger_args(
    ports: Ports,
    scenario_file: &str,
    from_ip: &str,
    node_port: u16,
) -> Vec<String> {
    [
        format!("127.0.0.1:{node_port}"),
        "-sf".into(),
        scenario_file.into(),
        "-s".into(),
        TRIGGER.into(),
        "-key".into(),
        "mobile".into(),
        MOBILE.into(),
        "-i".into(),
        from_ip.into(),
        "-p".into(),
        ports.trigger().to_string(),
        "-m".into(),
        "1".into(),
    ]
    .into()
}

/// Arguments for a UAS SIPp on `port` with RTP on `media`.
pub fn uas_args(scenario_file: &str, port: u16, media: u16) -> Vec<String> {
    [
        "-sf".into(),
        scenario_file.into(),
        "-i".into(),
        "127.0.0.1".into(),
        "-p".into(),
        port.to_string(),
        "-mp".into(),
        media.to_string(),
        "-m".into(),
        "1".into(),
    ]
    .into()
}
