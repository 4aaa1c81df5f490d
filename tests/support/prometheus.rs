//! A real Prometheus server for the tests: started on loopback with a configuration
//! written for the test (one node scraped every second, the shipped alert rules loaded),
//! storage in the test's directory, queried over its HTTP API with curl, and killed when
//! dropped — also when the test fails.
//!
//! Waits poll the HTTP API a bounded number of times, a quarter of a second apart.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::support::require;

/// How often a wait asks Prometheus, and how many times before it gives up (30 s).
const POLL: Duration = Duration::from_millis(250);
const TRIES: usize = 120;

/// A Prometheus server scraping one node.
pub struct Prometheus {
    child: Child,
    pub port: u16,
    pub dir: PathBuf,
}

impl Prometheus {
    /// Starts `prometheus` on 127.0.0.1:`port`, scraping 127.0.0.1:`target` (job
    /// `callbackd`) every second and evaluating `rules` every second; returns once it
    /// answers `/-/ready`.
    pub fn start(dir: &Path, port: u16, target: u16, rules: &Path) -> Prometheus {
        require("prometheus");
        require("curl");
        let dir = dir.join("prometheus");
        std::fs::create_dir_all(&dir).unwrap();
        let config = dir.join("prometheus.yml");
        std::fs::write(&config, scrape_config(target, rules)).unwrap();
        let log = std::fs::File::create(dir.join("prometheus.log")).unwrap();
        let child = Command::new("prometheus")
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("prometheus starts");
        let mut prometheus = Prometheus { child, port, dir };
        prometheus.wait_until("Prometheus is ready", |p| p.ready());
        prometheus
    }

    fn ready(&mut self) -> bool {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!("prometheus exited with {status}:\n{}", self.log());
        }
        Command::new("curl")
            .args(["-sf", "-o", "/dev/null", &self.url("/-/ready")])
            .status()
            .is_ok_and(|s| s.success())
    }

    /// What Prometheus logged.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("prometheus.log")).unwrap_or_default()
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// GET `path` with URL-encoded `params`; the decoded JSON answer (errors included:
    /// the API answers them as JSON too).
    pub fn get(&self, path: &str, params: &[(&str, &str)]) -> Value {
        let mut curl = Command::new("curl");
        curl.args(["-sS", "--get", &self.url(path)]);
        for (name, value) in params {
            curl.arg("--data-urlencode").arg(format!("{name}={value}"));
        }
        let out = curl.output().expect("curl runs");
        assert!(
            out.status.success(),
            "curl {path}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{path}: not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    /// An instant query at the current time: the whole answer.
    pub fn query(&self, expr: &str) -> Value {
        self.get("/api/v1/query", &[("query", expr)])
    }

    /// A range query from `start` to `end` (Unix seconds), one point per `step` seconds.
    pub fn query_range(&self, expr: &str, start: f64, end: f64, step: f64) -> Value {
        self.get(
            "/api/v1/query_range",
            &[
                ("query", expr),
                ("start", &start.to_string()),
                ("end", &end.to_string()),
                ("step", &step.to_string()),
            ],
        )
    }

    /// The first value of an instant query's vector, if any.
    pub fn value(&self, expr: &str) -> Option<f64> {
        let answer = self.query(expr);
        let sample = answer["data"]["result"].as_array()?.first()?;
        sample["value"][1].as_str()?.parse().ok()
    }

    /// Asks `done` every [`POLL`] until it holds; fails after [`TRIES`] tries.
    pub fn wait_until(&mut self, what: &str, mut done: impl FnMut(&mut Prometheus) -> bool) {
        for _ in 0..TRIES {
            if done(self) {
                return;
            }
            std::thread::sleep(POLL);
        }
        panic!(
            "{what}: not within {:?}; prometheus logged:\n{}",
            POLL * TRIES as u32,
            self.log()
        );
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The configuration: the node as job `callbackd` (the job the alert rules name), scraped
/// and evaluated every second.
fn scrape_config(target: u16, rules: &Path) -> String {
    format!(
        r#"global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - {rules}
scrape_configs:
  - job_name: callbackd
    scrape_interval: 1s
    scrape_timeout: 1s
    static_configs:
      - targets: ["127.0.0.1:{target}"]
"#,
        rules = rules.display()
    )
}
