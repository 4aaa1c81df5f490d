//! `callbackd check --config FILE` (spec §4): exit 0 on a good file; exit 2 with every
//! error on stderr as `FILE:line:column: key: message` on a bad one.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn check(config: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_callbackd"))
        .arg("check")
        .arg("--config")
        .arg(config)
        .output()
        .expect("callbackd runs")
}

#[test]
fn demo_config_is_valid() {
    let output = check(&root().join("deploy/examples/demo.toml"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("ok (2 trunks, 1 trigger, 1 user, 1 route)"),
        "{stdout}"
    );
}

#[test]
fn bad_config_exits_2_with_position_and_key() {
    let file = root().join("config/tests/data/bad/route_unknown_trunk.toml");
    let output = check(&file);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let expected = format!(
        "{}:18:23: route[0].trunks[1]: unknown trunk `gsm9`",
        file.display()
    );
    assert_eq!(stderr.trim_end(), expected);
    assert!(output.stdout.is_empty());
}

#[test]
fn every_error_gets_its_own_line() {
    let output = check(&root().join("config/tests/data/bad/unknown_keys.toml"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let keys = [
        "nodes",
        "callback.dealy",
        "trunk[0].secret",
        "user[0].mobile[0].roaming",
    ];
    assert_eq!(stderr.lines().count(), keys.len(), "{stderr}");
    for (line, key) in stderr.lines().zip(keys) {
        assert!(line.contains(&format!(": {key}: unknown key")), "{line}");
    }
}

#[test]
fn unreadable_file_exits_2() {
    let output = check(&root().join("deploy/examples/no-such-file.toml"));
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read"));
}
