//! `callbackd cdr` over a database written by the engine's CDR store.

use std::path::PathBuf;
use std::process::Command;

use engine::cdr::Cdr;
use engine::cdr::store::CdrStore;

fn cdr(id: &str, extension: &str, triggered_at: i64, bridged: f64, charged: f64) -> Cdr {
    Cdr {
        session_id: id.into(),
        extension: extension.into(),
        mobile: "+48601111222".into(),
        trigger: "+48225551000".into(),
        dialled: Some("601234567".into()),
        callback_trunk: Some("operator".into()),
        transit_trunk: Some("operator".into()),
        triggered_at,
        rejected_at: Some(triggered_at + 6_000),
        callback_started_at: Some(triggered_at + 11_000),
        callback_answered_at: Some(triggered_at + 13_000),
        transit_answered_at: Some(triggered_at + 20_000),
        ended_at: triggered_at + 20_000 + (bridged * 1000.0) as i64,
        callback_seconds: bridged + 7.0,
        bridged_seconds: bridged,
        outcome: "bridged".into(),
        reason: "user_hung_up".into(),
        cause: Some(16),
        callback_cost: charged / 2.0,
        transit_cost: charged / 2.0,
        charged,
        saving: 1.0,
        currency: "PLN".into(),
    }
}

fn database(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("callbackd-cdr-cli-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("cdr.sqlite");
    let store = CdrStore::open(&path).unwrap();
    // 2026-11-24 and 2026-11-25, 12:00 UTC.
    store
        .insert(&cdr("pbx-1-1", "101", 1_795_521_600_000, 120.0, 0.5))
        .unwrap();
    store
        .insert(&cdr("pbx-1-2", "101", 1_795_608_000_000, 60.0, 0.25))
        .unwrap();
    store
        .insert(&cdr("pbx-1-3", "102", 1_795_608_000_000, 30.0, 0.1))
        .unwrap();
    path
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_callbackd"))
        .arg("cdr")
        .args(args)
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (
        out.status.code().unwrap(),
        text(out.stdout),
        text(out.stderr),
    )
}

#[test]
fn json_lines_with_every_field_and_filters() {
    let db = database("json");
    let db = db.to_str().unwrap();
    let (code, out, _) = run(&["--db", db, "--format", "json", "--extension", "101"]);
    assert_eq!(code, 0);
    let rows: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["session_id"], "pbx-1-1");
    assert_eq!(rows[0]["triggered_at"], "2026-11-24T12:00:00.000Z");
    assert_eq!(rows[0]["rejected_at"], "2026-11-24T12:00:06.000Z");
    for field in [
        "mobile",
        "trigger",
        "dialled",
        "callback_trunk",
        "transit_trunk",
        "ended_at",
        "bridged_seconds",
        "outcome",
        "reason",
        "callback_cost",
        "transit_cost",
        "charged",
        "saving",
        "currency",
    ] {
        assert!(!rows[0][field].is_null(), "{field}");
    }
    let (_, out, _) = run(&["--db", db, "--format", "json", "--since", "2026-11-25"]);
    assert_eq!(out.lines().count(), 2);
}

#[test]
fn csv_and_table() {
    let db = database("csv");
    let db = db.to_str().unwrap();
    let (code, out, _) = run(&["--db", db, "--format", "csv"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].starts_with("session_id,extension,mobile,trigger,dialled"));
    assert!(lines[1].starts_with("pbx-1-1,101,+48601111222,+48225551000,601234567"));
    let (code, out, _) = run(&["--db", db]);
    assert_eq!(code, 0);
    assert!(
        out.lines()
            .next()
            .unwrap()
            .starts_with("session_id  extension")
    );
}

#[test]
fn summary_per_extension() {
    let db = database("summary");
    let db = db.to_str().unwrap();
    let (code, out, _) = run(&["--db", db, "--summary", "--format", "json"]);
    assert_eq!(code, 0);
    let rows: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["extension"], "101");
    assert_eq!(rows[0]["calls"], 2);
    assert_eq!(rows[0]["minutes"], 3.0);
    assert_eq!(rows[0]["cost"], 0.75);
    assert_eq!(rows[0]["savings"], 2.0);
}

#[test]
fn bad_arguments_exit_2() {
    let db = database("bad");
    let (code, _, err) = run(&["--db", db.to_str().unwrap(), "--since", "yesterday"]);
    assert_eq!(code, 2);
    assert!(err.contains("--since"));
    let (code, _, err) = run(&["--db", "/nonexistent/cdr.sqlite"]);
    assert_eq!(code, 2);
    assert!(err.contains("does not exist"));
}
