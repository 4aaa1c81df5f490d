//! The monitoring against a real Prometheus (spec §5): the node runs one whole callback
//! (SIPp as the mobile and the far end, extension 102 bridged) and refuses one trigger
//! from an unknown CLI, while a `prometheus` server on loopback scrapes it every second
//! and evaluates `deploy/prometheus/alerts.yml`. Then every PromQL query of the Grafana
//! dashboard and every alert expression goes through Prometheus's HTTP API: each must be
//! accepted, and each dashboard query must return data with a number in it (exceptions
//! would be listed with their reason in [`NO_NUMBER_YET`]; none is now). The rules must all load and
//! evaluate with health `ok`, and none may hold on this healthy node (timer lateness
//! excepted: it depends on the machine's load). Finally the node's `/metrics` passes
//! `promtool check metrics` and has every family of spec §5 with its type.
//!
//! `prometheus`, `promtool`, `sipp` and `curl` must be installed (`scripts/test.sh`
//! installs them); without them the test fails, it never skips.
//!
//! With `CALLBACKD_DASHBOARD_DUMP=FILE` the test also writes every dashboard query's
//! series over the run, as Prometheus range queries, to FILE (JSON): what
//! `docs/plot_dashboard.py` draws.

#[path = "support/prometheus.rs"]
mod prometheus;
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use engine::metrics::{
    CALL_DURATION_SECONDS, CALLBACK_ANSWER_SECONDS, CALLBACK_DELAY_SECONDS, COST_TOTAL,
    DIAL_TONE_SECONDS, PARSE_ERRORS_TOTAL, REJECT_SECONDS, RTP_PACKETS_TOTAL, SAVINGS_TOTAL,
    SESSIONS_ACTIVE, SESSIONS_TOTAL, SIP_MESSAGES_TOTAL, TIMER_LATENESS_SECONDS,
    TRANSIT_SETUP_SECONDS, TRIGGERS_TOTAL, TRUNK_UP,
};
use prometheus::Prometheus;
use serde_json::{Value, json};
use support::{MOBILE, Node, Ports, Setup, Sipp, require, scenario, trigger_args, uas_args};

/// Spec §5: every metric family and its `# TYPE`.
const FAMILIES: &[(&str, &str)] = &[
    (TRIGGERS_TOTAL, "counter"),
    (SESSIONS_TOTAL, "counter"),
    (SESSIONS_ACTIVE, "gauge"),
    (REJECT_SECONDS, "histogram"),
    (CALLBACK_DELAY_SECONDS, "histogram"),
    (TIMER_LATENESS_SECONDS, "histogram"),
    (CALLBACK_ANSWER_SECONDS, "histogram"),
    (DIAL_TONE_SECONDS, "histogram"),
    (TRANSIT_SETUP_SECONDS, "histogram"),
    (CALL_DURATION_SECONDS, "histogram"),
    (COST_TOTAL, "counter"),
    (SAVINGS_TOTAL, "counter"),
    (TRUNK_UP, "gauge"),
    (SIP_MESSAGES_TOTAL, "counter"),
    (RTP_PACKETS_TOTAL, "counter"),
    (PARSE_ERRORS_TOTAL, "counter"),
];

/// Grafana's template variables as the dashboard opens: both variables on "All" (their
/// `allValue` is `.*`), the interval variables as a five-minute window (the whole run
/// fits in it, even on a slow machine) and the range as an hour. Longer names come first.
const INSTANT: &[(&str, &str)] = &[
    ("$__rate_interval", "5m"),
    ("$__interval", "5m"),
    ("$__range", "1h"),
    ("${instance}", ".*"),
    ("$instance", ".*"),
    ("${trunk}", ".*"),
    ("$trunk", ".*"),
];

/// The same for the range queries of the dump: Grafana's `$__rate_interval` for a 1 s
/// scrape interval at full resolution is 4 s (four scrape intervals).
const RANGE: &[(&str, &str)] = &[
    ("$__rate_interval", "4s"),
    ("$__interval", "1s"),
    ("$__range", "1h"),
    ("${instance}", ".*"),
    ("$instance", ".*"),
    ("${trunk}", ".*"),
    ("$trunk", ".*"),
];

/// The alerts of `alerts.yml`, in order.
const ALERTS: &[&str] = &[
    "CallbackdDown",
    "CallbackdTrunkDown",
    "CallbackdCallbackFailureRatio",
    "CallbackdTimerLate",
    "CallbackdTollFraudTriggers",
    "CallbackdCostSpike",
];

fn repo_file(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

#[test]
fn dashboard_and_alerts_work_against_a_live_node() {
    for tool in ["prometheus", "promtool", "sipp", "curl"] {
        require(tool);
    }
    let mut node = Node::start("prometheus", Ports::block(40), &Setup::default());
    let p = node.ports;
    let mut prom = Prometheus::start(
        &node.dir,
        p.base + 40,
        p.metrics(),
        &repo_file("deploy/prometheus/alerts.yml"),
    );
    prom.wait_until("a first scrape of the node", |prom| {
        prom.value(r#"up{job="callbackd"}"#) == Some(1.0)
    });
    let started = now();

    run_calls(&mut node);
    let finished = now();
    prom.wait_until("a scrape after the calls", |prom| {
        prom.value(r#"timestamp(up{job="callbackd"})"#)
            .is_some_and(|t| t > finished + 1.0)
    });
    let bridged = r#"callbackd_sessions_total{outcome="bridged"}"#;
    assert_eq!(prom.value(bridged), Some(1.0), "{bridged}");
    let refused = r#"callbackd_triggers_total{trunk="operator", result="unknown_cli"}"#;
    assert_eq!(prom.value(refused), Some(1.0), "{refused}");

    check_dashboard(&prom);
    check_alert_expressions(&prom);
    check_rules(&mut prom, finished);
    check_metrics_text(&node.metrics());
    if let Some(path) = std::env::var_os("CALLBACKD_DASHBOARD_DUMP") {
        dump_dashboard(&prom, started, now(), Path::new(&path));
    }
}

/// One whole callback to extension 102, then a trigger from an unknown number.
fn run_calls(node: &mut Node) {
    let p = node.ports;
    let mut far_args = uas_args(&scenario("far-end.xml"), p.far(), p.far_media());
    far_args.push("-aa".into());
    let far = Sipp::start(&node.dir, "far", &far_args);
    let mut mobile_args = uas_args(&scenario("mobile.xml"), p.mobile(), p.mobile_media());
    mobile_args.push("-aa".into());
    let mobile = Sipp::start(&node.dir, "mobile", &mobile_args);
    let trigger = Sipp::start(
        &node.dir,
        "trigger",
        &trigger_args(p, &scenario("trigger.xml"), "127.0.0.1", p.operator()),
    );
    for sipp in [&trigger, &mobile, &far] {
        assert_ok(sipp);
    }
    let cdrs = node.cdrs(1);
    assert_eq!(cdrs[0].outcome, "bridged");

    let unknown: Vec<String> = trigger_args(
        p,
        &scenario("trigger-refused.xml"),
        "127.0.0.1",
        p.operator(),
    )
    .into_iter()
    .map(|a| {
        if a == MOBILE {
            "+48609999999".into()
        } else {
            a
        }
    })
    .collect();
    let refused = Sipp::start(&node.dir, "refused", &unknown);
    assert_ok(&refused);
    assert_eq!(refused.received("SIP/2.0 403").len(), 1, "the refusal");
}

fn assert_ok(sipp: &Sipp) {
    assert!(
        sipp.wait(),
        "{} failed:\n{}\n{}",
        sipp.name,
        sipp.errors(),
        sipp.messages()
    );
}

/// Metrics whose dashboard queries may have no number yet, and why. Their queries must
/// still be accepted and return a series; every other query must return at least one
/// series with a number (not NaN): with the label sets primed at startup, the run's
/// counters and histograms all have a first sample at zero, so `rate` and
/// `histogram_quantile` see the calls.
const NO_NUMBER_YET: &[(&str, &str)] = &[];

/// Every query of the dashboard: accepted, with data, and with a number.
fn check_dashboard(prom: &Prometheus) {
    let queries = dashboard_queries();
    assert_eq!(queries.len(), 34, "the dashboard's queries");
    let mut problems = Vec::new();
    for (place, expr) in &queries {
        let expr = substitute(expr, INSTANT);
        let answer = prom.query(&expr);
        println!("{place}: {}", summary(&answer));
        let excused = NO_NUMBER_YET
            .iter()
            .find(|(metric, _)| expr.contains(metric));
        if answer["status"] != "success" {
            problems.push(format!("{place}: {expr}\n  refused: {answer}"));
        } else if result_is_empty(&answer) {
            problems.push(format!("{place}: {expr}\n  no data"));
        } else if numbers(&answer) == 0 && excused.is_none() {
            problems.push(format!("{place}: {expr}\n  only NaN: {answer}"));
        } else if numbers(&answer) > 0
            && let Some((metric, _)) = excused
        {
            problems.push(format!(
                "{place}: {expr}\n  {metric} has numbers now: take it out of NO_NUMBER_YET"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every alert rule's expression: accepted. None but timer lateness may hold on this
/// healthy node (an expression's result is the set of alerts it would raise).
fn check_alert_expressions(prom: &Prometheus) {
    let rules = alert_expressions();
    let names: Vec<&str> = rules.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ALERTS, "the alerts of alerts.yml");
    let mut problems = Vec::new();
    for (name, expr) in &rules {
        let answer = prom.query(expr);
        if answer["status"] != "success" {
            problems.push(format!("{name}: refused: {answer}"));
        } else if !result_is_empty(&answer) && name != "CallbackdTimerLate" {
            // A timer firing late depends on the machine's load, not on the node's
            // correctness: that alert's result is not asserted.
            problems.push(format!("{name}: would fire: {answer}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `/api/v1/rules`: every alert loaded, evaluated since the calls ended, health `ok`.
fn check_rules(prom: &mut Prometheus, finished: f64) {
    prom.wait_until("every rule evaluated after the calls", |prom| {
        let rules = loaded_rules(prom);
        rules.len() == ALERTS.len() && rules.iter().all(|r| evaluated_at(r) > finished)
    });
    let rules = loaded_rules(prom);
    let names: Vec<&str> = rules.iter().filter_map(|r| r["name"].as_str()).collect();
    assert_eq!(names, ALERTS, "the rules Prometheus loaded");
    for rule in &rules {
        assert_eq!(rule["type"], "alerting", "{rule}");
        assert_eq!(rule["health"], "ok", "{rule}");
    }
}

fn loaded_rules(prom: &Prometheus) -> Vec<Value> {
    let answer = prom.get("/api/v1/rules", &[]);
    assert_eq!(answer["status"], "success", "{answer}");
    answer["data"]["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|g| g["rules"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// When Prometheus last evaluated `rule` (Unix seconds; 0 before the first time).
fn evaluated_at(rule: &Value) -> f64 {
    let Some(text) = rule["lastEvaluation"].as_str() else {
        return 0.0;
    };
    // RFC 3339 with nanoseconds: Prometheus answers its own format back.
    let out = Command::new("date")
        .args(["-u", "-d", text, "+%s.%N"])
        .output()
        .expect("date runs");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0.0)
}

/// The node's `/metrics`: promtool's linter passes, and every family of spec §5 is there
/// with its type.
fn check_metrics_text(text: &str) {
    let mut promtool = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool runs");
    {
        use std::io::Write;
        let mut stdin = promtool.stdin.take().unwrap();
        stdin.write_all(text.as_bytes()).unwrap();
    }
    let out = promtool.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool check metrics: {}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for (name, kind) in FAMILIES {
        let line = format!("# TYPE {name} {kind}");
        assert!(text.lines().any(|l| l == line), "no {line:?} in:\n{text}");
    }
}

/// Writes every dashboard query's series from just before the calls `started` to `end`
/// to `path`.
fn dump_dashboard(prom: &Prometheus, started: f64, end: f64, path: &Path) {
    let start = started - 2.0;
    let dashboard = dashboard();
    let mut panels_out = Vec::new();
    for panel in panels(&dashboard) {
        let mut targets = Vec::new();
        for target in panel["targets"].as_array().into_iter().flatten() {
            let expr = substitute(target["expr"].as_str().unwrap_or_default(), RANGE);
            let answer = prom.query_range(&expr, start, end, 1.0);
            targets.push(json!({
                "expr": expr,
                "legend": target["legendFormat"],
                "result": answer["data"]["result"],
            }));
        }
        if !targets.is_empty() {
            panels_out.push(json!({
                "title": panel["title"],
                "unit": panel["fieldConfig"]["defaults"]["unit"],
                "targets": targets,
            }));
        }
    }
    let out = json!({
        "calls_started": started,
        "start": start,
        "end": end,
        "panels": panels_out,
    });
    std::fs::write(path, serde_json::to_string_pretty(&out).unwrap()).unwrap();
}

/// How many series an answer has, and how many of them are numbers (not NaN).
fn summary(answer: &Value) -> String {
    let series = answer["data"]["result"].as_array().map_or(0, Vec::len);
    format!("{series} series, {} not NaN", numbers(answer))
}

/// How many series of an instant query's vector have a number (not NaN).
fn numbers(answer: &Value) -> usize {
    answer["data"]["result"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["value"][1].as_str().is_some_and(|v| v != "NaN"))
        .count()
}

fn result_is_empty(answer: &Value) -> bool {
    match &answer["data"]["result"] {
        Value::Array(series) => series.is_empty(),
        _ => false,
    }
}

fn substitute(expr: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(expr.to_owned(), |e, (name, value)| e.replace(name, value))
}

fn dashboard() -> Value {
    let path = repo_file("deploy/grafana/callbackd.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every panel, rows' nested panels included.
fn panels(dashboard: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    for panel in dashboard["panels"].as_array().expect("a panels array") {
        out.push(panel);
        out.extend(panel["panels"].as_array().into_iter().flatten());
    }
    out
}

/// Every PromQL query of the dashboard's panels, with where it is.
fn dashboard_queries() -> Vec<(String, String)> {
    let dashboard = dashboard();
    let mut out = Vec::new();
    for panel in panels(&dashboard) {
        for target in panel["targets"].as_array().into_iter().flatten() {
            let place = format!(
                "panel {:?} target {}",
                panel["title"].as_str().unwrap_or_default(),
                target["refId"].as_str().unwrap_or_default()
            );
            out.push((
                place,
                target["expr"].as_str().unwrap_or_default().to_owned(),
            ));
        }
    }
    out
}

/// Each `- alert:` of `alerts.yml` with its `expr`, written inline or as a `|` block.
fn alert_expressions() -> Vec<(String, String)> {
    let path = repo_file("deploy/prometheus/alerts.yml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<(String, String)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(name) = line.trim().strip_prefix("- alert:") {
            out.push((name.trim().to_owned(), String::new()));
        }
        let Some(value) = line.trim().strip_prefix("expr:") else {
            continue;
        };
        let expr = match value.trim() {
            "|" | "|-" | ">" | ">-" => block(&lines[i + 1..], indent(line)),
            inline => inline.to_owned(),
        };
        out.last_mut().expect("an expr inside an alert").1 = expr;
    }
    out
}

/// A YAML block scalar: the lines after its key indented deeper than the key.
fn block(lines: &[&str], key_indent: usize) -> String {
    lines
        .iter()
        .take_while(|l| l.trim().is_empty() || indent(l) > key_indent)
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join("\n")
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}
