//! The Grafana dashboard `deploy/grafana/callbackd.json` against spec §5 and against
//! Prometheus's own PromQL parser.
//!
//! The dashboard must import anywhere: a `datasource` variable of type `datasource`, and
//! every panel and query on `${datasource}`. Its queries may name only the spec's metrics
//! (a histogram through `_bucket`, `_sum`, `_count`), filter and group only by labels those
//! metrics have (and the spec's values of the bounded ones), and together show every one
//! of them. Finally every query, with the template variables replaced by sample values,
//! is written as a recording rule: `promtool check rules` parses it with Prometheus's own
//! PromQL parser, and `promtool test rules` evaluates it over series shaped like the
//! node's and requires a result from each. Without `promtool` on the PATH (or `PROMTOOL`)
//! those tests fail: they never skip.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Counter,
    Gauge,
    Histogram,
}

/// Spec §5: every metric of the node, its type and its labels.
#[rustfmt::skip]
const METRICS: &[(&str, Kind, &[&str])] = &[
    ("callbackd_triggers_total", Kind::Counter, &["trunk", "result"]),
    ("callbackd_sessions_total", Kind::Counter, &["outcome"]),
    ("callbackd_sessions_active", Kind::Gauge, &["state"]),
    ("callbackd_reject_seconds", Kind::Histogram, &[]),
    ("callbackd_callback_delay_seconds", Kind::Histogram, &[]),
    ("callbackd_timer_lateness_seconds", Kind::Histogram, &["timer"]),
    ("callbackd_callback_answer_seconds", Kind::Histogram, &["trunk"]),
    ("callbackd_dial_tone_seconds", Kind::Histogram, &[]),
    ("callbackd_transit_setup_seconds", Kind::Histogram, &["trunk"]),
    ("callbackd_call_duration_seconds", Kind::Histogram, &[]),
    ("callbackd_cost_total", Kind::Counter, &["trunk", "currency"]),
    ("callbackd_savings_total", Kind::Counter, &["currency"]),
    ("callbackd_trunk_up", Kind::Gauge, &["trunk", "kind"]),
    ("callbackd_sip_messages_total", Kind::Counter, &["trunk", "direction", "method"]),
    ("callbackd_rtp_packets_total", Kind::Counter, &["direction"]),
    ("callbackd_parse_errors_total", Kind::Counter, &["protocol"]),
];

/// Spec §5 and the brief of `engine::metrics`: the values of the bounded labels (`trunk`
/// and `currency` come from the configuration, `method` from SIP).
#[rustfmt::skip]
const LABEL_VALUES: &[(&str, &[&str])] = &[
    ("result", &["accepted", "unknown_cli", "untrusted", "rate_limited", "licence"]),
    ("outcome", &["bridged", "no_answer", "busy", "no_digits", "denied", "failed", "cancelled"]),
    ("state", &["ringing", "waiting", "calling_back", "dialling", "connecting", "bridged"]),
    ("timer", &["reject", "ring_limit", "delay", "answer", "first_digit", "inter_digit", "refusal",
                "max_duration", "redial"]),
    ("direction", &["in", "out"]),
    ("kind", &["sip", "isdn", "gsm"]),
    ("protocol", &["sip", "sdp", "rtp", "q931", "at"]),
];

/// Labels Prometheus attaches to every scraped series.
const TARGET_LABELS: &[&str] = &["job", "instance"];

/// Values for the template variables when an expression is handed to promtool; Grafana's
/// interval variables become a plain range. Longer names come first.
const SUBSTITUTIONS: &[(&str, &str)] = &[
    ("$__rate_interval", "5m"),
    ("$__interval", "5m"),
    ("$__range", "5m"),
    ("${instance}", "127.0.0.1:9464"),
    ("$instance", "127.0.0.1:9464"),
    ("${trunk}", "operator"),
    ("$trunk", "operator"),
];

fn dashboard() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/grafana/callbackd.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every panel, rows' nested panels included.
fn panels(dashboard: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    for panel in dashboard["panels"].as_array().expect("a panels array") {
        out.push(panel);
        if let Some(nested) = panel["panels"].as_array() {
            out.extend(nested);
        }
    }
    out
}

/// A PromQL query of the dashboard: where it is, its text, its legend.
struct Query {
    place: String,
    expr: String,
    legend: String,
}

fn queries(dashboard: &Value) -> Vec<Query> {
    let mut out = Vec::new();
    for panel in panels(dashboard) {
        for target in panel["targets"].as_array().into_iter().flatten() {
            out.push(Query {
                place: format!(
                    "panel {:?} target {}",
                    panel["title"].as_str().unwrap_or_default(),
                    target["refId"].as_str().unwrap_or_default()
                ),
                expr: target["expr"].as_str().unwrap_or_default().to_owned(),
                legend: target["legendFormat"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            });
        }
    }
    for (name, selector, _) in label_values_queries(dashboard) {
        out.push(Query {
            place: format!("variable {name}"),
            expr: selector,
            legend: String::new(),
        });
    }
    out
}

/// The query variables: name, the selector inside `label_values(selector, label)`, label.
fn label_values_queries(dashboard: &Value) -> Vec<(String, String, String)> {
    variables(dashboard)
        .into_iter()
        .filter(|v| v["type"] == "query")
        .map(|v| {
            let name = v["name"].as_str().unwrap_or_default().to_owned();
            let query = v["query"]["query"]
                .as_str()
                .or(v["query"].as_str())
                .unwrap_or_default();
            let inner = query
                .strip_prefix("label_values(")
                .and_then(|q| q.strip_suffix(')'))
                .unwrap_or_else(|| panic!("variable {name}: {query:?} is not label_values(…)"));
            let (selector, label) = inner
                .rsplit_once(',')
                .unwrap_or_else(|| panic!("variable {name}: {query:?} names no metric"));
            (name, selector.trim().to_owned(), label.trim().to_owned())
        })
        .collect()
}

fn variables(dashboard: &Value) -> Vec<&Value> {
    dashboard["templating"]["list"]
        .as_array()
        .expect("a templating list")
        .iter()
        .collect()
}

/// One selector of an expression: the metric name and its matchers.
struct Selector {
    metric: String,
    matchers: Vec<Matcher>,
}

/// `label op "value"`.
struct Matcher {
    label: String,
    op: String,
    value: String,
}

/// What an expression names: its selectors and the labels of its `by`/`on`/… clauses.
#[derive(Default)]
struct Names {
    selectors: Vec<Selector>,
    grouping: Vec<String>,
}

/// Operators, modifiers and the aggregations (which may come before their `by` clause).
const KEYWORDS: &[&str] = &[
    "and",
    "or",
    "unless",
    "bool",
    "offset",
    "inf",
    "nan",
    "atan2",
    "sum",
    "min",
    "max",
    "avg",
    "group",
    "stddev",
    "stdvar",
    "count",
    "count_values",
    "bottomk",
    "topk",
    "quantile",
];
const GROUPING: &[&str] = &[
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
];

/// A small PromQL scanner, enough to find metric names and label names: strings, ranges
/// and numbers are skipped, an identifier followed by `(` is a function, one followed by
/// a label list after `by` etc. is grouping, and any other identifier is a metric.
fn names(expr: &str) -> Names {
    let chars: Vec<char> = expr.chars().collect();
    let mut names = Names::default();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' || c == '\'' || c == '`' {
            i = skip_string(&chars, i);
        } else if c == '[' {
            i = chars[i..]
                .iter()
                .position(|&c| c == ']')
                .map_or(chars.len(), |p| i + p + 1);
        } else if c == '{' {
            panic!("{expr}: a selector without a metric name");
        } else if c.is_ascii_digit() || c == '.' {
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
        } else if c.is_ascii_alphabetic() || c == '_' || c == ':' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == ':')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            let next = chars.get(i).copied();
            if GROUPING.contains(&word.as_str()) {
                if next == Some('(') {
                    let end = chars[i..]
                        .iter()
                        .position(|&c| c == ')')
                        .expect("closed label list")
                        + i;
                    let list: String = chars[i + 1..end].iter().collect();
                    names.grouping.extend(
                        list.split(',')
                            .map(str::trim)
                            .filter(|l| !l.is_empty())
                            .map(str::to_owned),
                    );
                    i = end + 1;
                }
            } else if next == Some('(') || KEYWORDS.contains(&word.as_str()) {
                // A function, an aggregation or an operator.
            } else if next == Some('{') {
                let (matchers, end) = matchers(expr, &chars, i);
                names.selectors.push(Selector {
                    metric: word,
                    matchers,
                });
                i = end;
            } else {
                names.selectors.push(Selector {
                    metric: word,
                    matchers: Vec::new(),
                });
            }
        } else {
            i += 1;
        }
    }
    names
}

/// Skips the string literal opening at `start`; returns the index after it.
fn skip_string(chars: &[char], start: usize) -> usize {
    let quote = chars[start];
    let mut i = start + 1;
    while i < chars.len() && chars[i] != quote {
        if chars[i] == '\\' && quote != '`' {
            i += 1;
        }
        i += 1;
    }
    i + 1
}

/// The matchers of the list opening at `start` (`{`), and the index after the list.
fn matchers(expr: &str, chars: &[char], start: usize) -> (Vec<Matcher>, usize) {
    let mut matchers = Vec::new();
    let mut i = start + 1;
    loop {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
            i += 1;
        }
        if chars.get(i) == Some(&'}') {
            return (matchers, i + 1);
        }
        let take = |i: &mut usize, f: fn(char) -> bool| {
            let from = *i;
            while *i < chars.len() && f(chars[*i]) {
                *i += 1;
            }
            chars[from..*i].iter().collect::<String>()
        };
        let label = take(&mut i, |c| c.is_ascii_alphanumeric() || c == '_');
        take(&mut i, char::is_whitespace);
        let op = take(&mut i, |c| matches!(c, '=' | '!' | '~'));
        take(&mut i, char::is_whitespace);
        let quote = chars.get(i).copied();
        assert!(
            !label.is_empty() && !op.is_empty() && matches!(quote, Some('"' | '\'' | '`')),
            "{expr}: cannot read the matcher at {i}"
        );
        let end = skip_string(chars, i);
        let value = chars[i + 1..end - 1].iter().collect();
        matchers.push(Matcher { label, op, value });
        i = end;
    }
}

/// The spec's entry for a series name: the metric, its kind and labels, and whether the
/// name is a histogram's `_bucket` series (which adds `le`).
fn spec_metric(series: &str) -> Option<(&'static str, &'static [&'static str], bool)> {
    METRICS.iter().find_map(|&(name, kind, labels)| {
        if kind != Kind::Histogram {
            return (series == name).then_some((name, labels, false));
        }
        let suffix = series.strip_prefix(name)?;
        match suffix {
            "_bucket" => Some((name, labels, true)),
            "_sum" | "_count" => Some((name, labels, false)),
            _ => None,
        }
    })
}

/// A matcher on a label with bounded values may only name values of the spec: `=` one of
/// them, `=~` an alternation of them (template variables aside).
fn check_label_values(place: &str, matcher: &Matcher) {
    let Some((_, values)) = LABEL_VALUES.iter().find(|(l, _)| *l == matcher.label) else {
        return;
    };
    if matcher.value.contains('$') || matcher.op.starts_with('!') {
        return;
    }
    let alternatives: Vec<&str> = match matcher.op.as_str() {
        "=" => vec![matcher.value.as_str()],
        "=~" => matcher.value.split('|').collect(),
        op => panic!("{place}: unknown matcher operator {op}"),
    };
    for value in alternatives {
        assert!(
            values.contains(&value),
            "{place}: {} is not a value of label {} (spec: {values:?})",
            value,
            matcher.label
        );
    }
}

/// Replaces the template variables with sample values; fails on any left over.
fn substitute(place: &str, expr: &str) -> String {
    let mut out = expr.to_owned();
    for (variable, value) in SUBSTITUTIONS {
        out = out.replace(variable, value);
    }
    assert!(
        !out.contains('$'),
        "{place}: unknown template variable in {out:?}"
    );
    out
}

/// Runs `promtool <args> <file>` and fails with promtool's output, then `context`, unless
/// it exits 0.
fn promtool(args: &[&str], file: &Path, context: &str) {
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
        "promtool {} {} exited with {}:\n{}{}{context}",
        args.join(" "),
        file.display(),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
}

/// Writes every query of the dashboard, variables substituted, as the recording rule
/// `dashboard:query_<n>` into `dir/dashboard_rules.yml`; returns the file and, for each
/// rule, its name and where the query is.
fn write_recording_rules(dashboard: &Value, dir: &Path) -> (PathBuf, Vec<(String, String)>) {
    let mut rules = String::from("groups:\n  - name: callbackd_dashboard\n    rules:\n");
    let mut records = Vec::new();
    for (n, query) in queries(dashboard).iter().enumerate() {
        let expr = substitute(&query.place, &query.expr);
        let record = format!("dashboard:query_{n}");
        rules.push_str(&format!(
            "      # {}\n      - record: {record}\n        expr: {}\n",
            query.place.replace('\n', " "),
            serde_json::to_string(&expr).expect("a JSON string is a YAML string"),
        ));
        records.push((record, query.place.clone()));
    }
    let file = dir.join("dashboard_rules.yml");
    std::fs::write(&file, rules).expect("write the rules file");
    (file, records)
}

/// Ten minutes of once-a-minute samples for every series the spec's metrics can have on
/// one node: every value of each bounded label, `operator`, `PLN` and `INVITE` for the
/// others; a histogram as three buckets, `_sum` and `_count`.
fn spec_shaped_series() -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for &(metric, kind, labels) in METRICS {
        let mut label_sets = vec![String::from(
            r#"job="callbackd", instance="127.0.0.1:9464""#,
        )];
        for &label in labels {
            let values = LABEL_VALUES.iter().find(|(l, _)| *l == label).map_or_else(
                || match label {
                    "trunk" => &["operator"][..],
                    "currency" => &["PLN"][..],
                    "method" => &["INVITE"][..],
                    other => panic!("no sample value for label {other}"),
                },
                |(_, values)| values,
            );
            label_sets = label_sets
                .iter()
                .flat_map(|set| {
                    values
                        .iter()
                        .map(move |v| format!(r#"{set}, {label}="{v}""#))
                })
                .collect();
        }
        for set in label_sets {
            match kind {
                Kind::Counter => out.push((format!("{metric}{{{set}}}"), "0+1x10")),
                Kind::Gauge => out.push((format!("{metric}{{{set}}}"), "1x10")),
                Kind::Histogram => {
                    for (le, values) in [("0.1", "0+1x10"), ("1", "0+2x10"), ("+Inf", "0+3x10")] {
                        out.push((format!(r#"{metric}_bucket{{{set}, le="{le}"}}"#), values));
                    }
                    out.push((format!("{metric}_sum{{{set}}}"), "0+1x10"));
                    out.push((format!("{metric}_count{{{set}}}"), "0+3x10"));
                }
            }
        }
    }
    out
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

#[test]
fn imports_with_a_prometheus_datasource_variable() {
    let dashboard = dashboard();
    assert_eq!(dashboard["uid"], "callbackd");
    assert!(
        dashboard["schemaVersion"].as_u64().is_some_and(|v| v >= 36),
        "schemaVersion"
    );
    assert!(
        dashboard["id"].is_null(),
        "an importable dashboard has no database id"
    );

    let inputs = dashboard["__inputs"].as_array().expect("__inputs");
    assert!(
        inputs
            .iter()
            .any(|i| i["type"] == "datasource" && i["pluginId"] == "prometheus"),
        "__inputs asks for a Prometheus data source"
    );
    let requires = dashboard["__requires"].as_array().expect("__requires");
    for id in ["grafana", "prometheus"] {
        assert!(
            requires.iter().any(|r| r["id"] == id),
            "__requires names {id}"
        );
    }
    let used: BTreeSet<&str> = panels(&dashboard)
        .into_iter()
        .filter_map(|p| p["type"].as_str())
        .filter(|&t| t != "row")
        .collect();
    for kind in used {
        assert!(
            requires
                .iter()
                .any(|r| r["type"] == "panel" && r["id"] == kind),
            "__requires names the {kind} panel"
        );
    }

    let variables = variables(&dashboard);
    let datasource = variables
        .iter()
        .find(|v| v["name"] == "datasource")
        .expect("a `datasource` variable");
    assert_eq!(datasource["type"], "datasource");
    assert_eq!(datasource["query"], "prometheus");
    for name in ["instance", "trunk"] {
        let variable = variables
            .iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("a `{name}` variable"));
        assert_eq!(variable["type"], "query", "variable {name}");
        assert_eq!(
            variable["datasource"]["uid"], "${datasource}",
            "variable {name}"
        );
    }
    let label_values = label_values_queries(&dashboard);
    for (name, label) in [("instance", "instance"), ("trunk", "trunk")] {
        assert!(
            label_values.iter().any(|(n, _, l)| n == name && l == label),
            "variable {name} lists the values of label {label}"
        );
    }
}

#[test]
fn every_panel_and_query_uses_the_datasource_variable() {
    let dashboard = dashboard();
    let mut ids = BTreeSet::new();
    for panel in panels(&dashboard) {
        let title = &panel["title"];
        assert!(
            ids.insert(panel["id"].as_u64().expect("panel id")),
            "panel {title}: duplicate id"
        );
        assert!(panel["gridPos"].is_object(), "panel {title}: no gridPos");
        if panel["type"] == "row" {
            continue;
        }
        assert_eq!(panel["datasource"]["type"], "prometheus", "panel {title}");
        assert_eq!(panel["datasource"]["uid"], "${datasource}", "panel {title}");
        let targets = panel["targets"].as_array().expect("targets");
        assert!(!targets.is_empty(), "panel {title} has no query");
        for target in targets {
            assert_eq!(
                target["datasource"]["uid"], "${datasource}",
                "panel {title} target"
            );
            assert!(
                target["expr"]
                    .as_str()
                    .is_some_and(|e| !e.trim().is_empty()),
                "panel {title}: a target without expr"
            );
        }
    }
}

#[test]
fn queries_use_only_spec_metrics_and_their_labels() {
    let dashboard = dashboard();
    for query in queries(&dashboard) {
        let Query {
            place,
            expr,
            legend,
        } = &query;
        let names = names(expr);
        assert!(
            !names.selectors.is_empty(),
            "{place}: no metric in {expr:?}"
        );
        let mut known: BTreeSet<&str> = TARGET_LABELS.iter().copied().collect();
        for selector in &names.selectors {
            let (metric, labels, bucket) = spec_metric(&selector.metric).unwrap_or_else(|| {
                panic!(
                    "{place}: {} is not a spec §5 metric (in {expr:?})",
                    selector.metric
                )
            });
            let mut allowed: BTreeSet<&str> = TARGET_LABELS.iter().copied().collect();
            allowed.extend(labels.iter().copied());
            if bucket {
                allowed.insert("le");
            }
            for matcher in &selector.matchers {
                let label = matcher.label.as_str();
                assert!(
                    allowed.contains(label),
                    "{place}: {metric} has no label {label} (in {expr:?})"
                );
                check_label_values(place, matcher);
            }
            known.extend(allowed);
        }
        for label in &names.grouping {
            assert!(
                known.contains(label.as_str()),
                "{place}: groups by unknown label {label} in {expr:?}"
            );
        }
        for field in legend
            .split("{{")
            .skip(1)
            .filter_map(|s| s.split_once("}}"))
            .map(|(f, _)| f.trim())
        {
            assert!(
                known.contains(field),
                "{place}: legend {legend:?} uses unknown label {field}"
            );
        }
    }
    for (name, selector, label) in label_values_queries(&dashboard) {
        let metric = names(&selector).selectors.remove(0).metric;
        let (_, labels, _) = spec_metric(&metric).expect("a spec metric");
        assert!(
            labels.contains(&label.as_str()) || TARGET_LABELS.contains(&label.as_str()),
            "variable {name}: {metric} has no label {label}"
        );
    }
}

#[test]
fn every_spec_metric_is_on_the_dashboard() {
    let dashboard = dashboard();
    let shown: BTreeSet<&str> = queries(&dashboard)
        .iter()
        .flat_map(|q| names(&q.expr).selectors)
        .filter_map(|s| spec_metric(&s.metric).map(|(name, _, _)| name))
        .collect();
    for (metric, _, _) in METRICS {
        assert!(shown.contains(metric), "no panel shows {metric}");
    }
}

#[test]
fn promql_parses_with_promtool() {
    let dashboard = dashboard();
    let mut rules = String::from("groups:\n  - name: callbackd_dashboard\n    rules:\n");
    for (n, query) in queries(&dashboard).iter().enumerate() {
        let expr = substitute(&query.place, &query.expr);
        rules.push_str(&format!(
            "      # {}\n      - record: dashboard:query_{n}\n        expr: {}\n",
            query.place.replace('\n', " "),
            serde_json::to_string(&expr).expect("a JSON string is a YAML string"),
        ));
    }
    let (file, _) = write_recording_rules(&dashboard, &scratch_dir("dashboard_parse"));
    promtool(&["check", "rules"], &file, "");
}

/// Every query returns something from series shaped like the node's: a histogram
/// quantile that lost its `le`, a division whose sides never match, a matcher on a value
/// no series has would all leave a panel empty. Each query is recorded and
/// `absent(record)` must be empty after ten minutes.
#[test]
fn every_query_returns_data_from_spec_shaped_series() {
    let dashboard = dashboard();
    let dir = scratch_dir("dashboard_data");
    let (rules, records) = write_recording_rules(&dashboard, &dir);
    let mut test = format!(
        "rule_files:\n  - {}\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n",
        rules
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a file name"),
    );
    for (series, values) in spec_shaped_series() {
        test.push_str(&format!(
            "      - series: {}\n        values: '{values}'\n",
            serde_json::to_string(&series).expect("a JSON string"),
        ));
    }
    test.push_str("    promql_expr_test:\n");
    for (record, place) in &records {
        test.push_str(&format!(
            "      # {place}\n      - expr: absent({record})\n        eval_time: 10m\n        exp_samples: []\n"
        ));
    }
    let file = dir.join("dashboard_test.yml");
    std::fs::write(&file, test).expect("write the test file");
    let context: String = records
        .iter()
        .map(|(record, place)| format!("{record} is {place}\n"))
        .collect();
    promtool(&["test", "rules"], &file, &context);
}

#[test]
fn the_scanner_finds_metrics_and_labels() {
    let n = names(
        r#"histogram_quantile(0.99, sum by (le, timer) (rate(callbackd_timer_lateness_seconds_bucket{instance=~"a,b}", timer!="x"}[5m]))) > on (instance) group_left vector(1) offset 5m"#,
    );
    let metrics: Vec<&str> = n.selectors.iter().map(|s| s.metric.as_str()).collect();
    assert_eq!(metrics, ["callbackd_timer_lateness_seconds_bucket"]);
    let matchers: Vec<(&str, &str, &str)> = n.selectors[0]
        .matchers
        .iter()
        .map(|m| (m.label.as_str(), m.op.as_str(), m.value.as_str()))
        .collect();
    assert_eq!(matchers, [("instance", "=~", "a,b}"), ("timer", "!=", "x")]);
    assert_eq!(n.grouping, ["le", "timer", "instance"]);
    assert!(
        spec_metric("callbackd_timer_lateness_seconds").is_none(),
        "a histogram has no bare series"
    );
    assert!(spec_metric("callbackd_cost_total_bucket").is_none());
    assert_eq!(names("up == 0").selectors[0].metric, "up");
}
