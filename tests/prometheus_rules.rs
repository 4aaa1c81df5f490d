//! The Prometheus files in `deploy/prometheus/`, checked by Prometheus's own tool: the
//! alerting rules load (`promtool check rules`), their unit tests pass (`promtool test
//! rules`), and the scrape configuration loads together with its rule files (`promtool
//! check config`). Each alert also has to be exercised by the unit tests both firing and
//! quiet, and carry a severity, a summary and a description.
//!
//! `promtool` comes with Prometheus (Debian package `prometheus`); `PROMTOOL` names another
//! binary. Without it the tests fail: they never skip.

use std::path::{Path, PathBuf};
use std::process::Command;

fn deploy_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("deploy/prometheus")
        .join(name)
}

/// Runs `promtool <args> <file>` and fails with promtool's output unless it exits 0.
fn promtool(args: &[&str], file: &Path) {
    let tool = std::env::var_os("PROMTOOL").unwrap_or_else(|| "promtool".into());
    let output = Command::new(&tool)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {tool:?} ({e}): install Prometheus's promtool (Debian package \
                 `prometheus`) or set PROMTOOL"
            )
        });
    assert!(
        output.status.success(),
        "promtool {} {} exited with {}:\n{}{}",
        args.join(" "),
        file.display(),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
}

fn read(name: &str) -> String {
    let path = deploy_file(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The alerts defined in `alerts.yml`, each with the text of its rule.
fn alerts() -> Vec<(String, String)> {
    let text = read("alerts.yml");
    let mut alerts: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(name) = line.trim().strip_prefix("- alert:") {
            alerts.push((name.trim().to_owned(), String::new()));
        } else if let Some((_, body)) = alerts.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    alerts
}

/// For each `alertname:` of `alerts_test.yml`, whether that check expects alerts
/// (`exp_alerts:` followed by a list) or none (`exp_alerts: []`).
fn alert_checks() -> Vec<(String, bool)> {
    let text = read("alerts_test.yml");
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let name = line.strip_prefix("alertname:")?.trim().to_owned();
            let expect = lines.get(i + 1).copied().unwrap_or_default();
            match expect {
                "exp_alerts: []" => Some((name, false)),
                "exp_alerts:" => Some((name, true)),
                other => panic!("alertname {name} is followed by {other:?}, not exp_alerts"),
            }
        })
        .collect()
}

#[test]
fn alert_rules_are_valid() {
    promtool(&["check", "rules"], &deploy_file("alerts.yml"));
}

#[test]
fn alert_rules_pass_their_unit_tests() {
    promtool(&["test", "rules"], &deploy_file("alerts_test.yml"));
}

#[test]
fn scrape_config_is_valid() {
    promtool(&["check", "config"], &deploy_file("prometheus.yml"));
}

#[test]
fn every_alert_is_tested_firing_and_quiet() {
    let alerts = alerts();
    let checks = alert_checks();
    let expected = [
        "CallbackdDown",
        "CallbackdTrunkDown",
        "CallbackdCallbackFailureRatio",
        "CallbackdTimerLate",
        "CallbackdTollFraudTriggers",
        "CallbackdCostSpike",
    ];
    let names: Vec<&str> = alerts.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, expected, "the alerts of alerts.yml");
    for name in names {
        for fires in [true, false] {
            assert!(
                checks.contains(&(name.to_owned(), fires)),
                "alerts_test.yml has no check where {name} {}",
                if fires { "fires" } else { "stays quiet" }
            );
        }
    }
    for (name, _) in &checks {
        assert!(
            expected.contains(&name.as_str()),
            "alerts_test.yml tests unknown alert {name}"
        );
    }
}

#[test]
fn every_alert_has_severity_summary_and_description() {
    for (name, rule) in alerts() {
        for key in ["severity:", "summary:", "description:", "for:"] {
            assert!(rule.contains(key), "alert {name} has no {key}");
        }
        let severity = rule
            .lines()
            .find_map(|l| l.trim().strip_prefix("severity:"))
            .map(str::trim);
        assert!(
            matches!(severity, Some("critical" | "warning")),
            "alert {name}: severity {severity:?} is neither critical nor warning"
        );
    }
}
