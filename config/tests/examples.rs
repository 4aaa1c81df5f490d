//! Every example configuration in `deploy/examples/` loads without error. The directory
//! is listed, so a new example is covered without touching this file.

use std::path::PathBuf;

use config::{Config, Licence};

fn examples() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../deploy/examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_example_loads() {
    let files = examples();
    assert!(files.len() >= 2, "examples missing: {files:?}");
    for file in files {
        if let Err(errors) = Config::from_file(&file) {
            panic!("{}:\n{errors}", file.display());
        }
    }
}

#[test]
fn demo_is_sip_on_loopback_in_demo_mode() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../deploy/examples");
    let config = Config::from_file(dir.join("demo.toml")).unwrap();
    assert_eq!(config.licence, Licence::Demo);
    assert!(
        config
            .trunks
            .iter()
            .all(|t| t.kind() == config::TrunkKind::Sip)
    );
    assert_eq!(config.summary(), "2 trunks, 1 trigger, 1 user, 1 route");
    assert_eq!(config.dialplan.matches("101"), config::Match::Complete);
}

#[test]
fn full_has_every_trunk_kind() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../deploy/examples");
    let config = Config::from_file(dir.join("full.toml")).unwrap();
    let kinds: Vec<_> = config.trunks.iter().map(|t| t.kind().as_str()).collect();
    assert_eq!(kinds, ["sip", "sip", "gsm", "isdn"]);
    assert_eq!(config.summary(), "4 trunks, 2 triggers, 2 users, 3 routes");
}

/// Every key of spec §3, as `table.key`; `full.toml` must set each one.
const SPEC_KEYS: &[&str] = &[
    "node.name",
    "node.tones",
    "node.country_code",
    "node.national_prefix",
    "node.international_prefix",
    "metrics.listen",
    "cdr.path",
    "licence.mode",
    "licence.file",
    "callback.reject_after_rings",
    "callback.reject_after",
    "callback.reject_with",
    "callback.delay",
    "callback.answer_timeout",
    "callback.retries",
    "callback.first_digit_timeout",
    "callback.digit_timeout",
    "callback.max_duration",
    "callback.analog_max_duration",
    "callback.redial_window",
    "callback.max_triggers_per_minute",
    "trunk.name",
    "trunk.kind",
    "trunk.listen",
    "trunk.transport",
    "trunk.peer",
    "trunk.trusted_cli",
    "trunk.rtp_ports",
    "trunk.reject_with",
    "trunk.reject_mode",
    "trunk.ring_limit",
    "trunk.analog",
    "trunk.number_format",
    "trunk.device",
    "trunk.audio_device",
    "trunk.baud",
    "trunk.model",
    "trunk.port",
    "trunk.side",
    "trigger.number",
    "trigger.callback_cli",
    "user.extension",
    "user.name",
    "user.class",
    "user.direct_rate",
    "user.pin",
    "user.did",
    "user.mobile.number",
    "user.mobile.transit",
    "class.name",
    "class.allow",
    "class.deny",
    "class.max_concurrent",
    "class.max_cost_per_day",
    "class.max_minutes_per_day",
    "dialplan.internal",
    "dialplan.internal_trunk",
    "route.prefix",
    "route.trunks",
    "tariff.trunk",
    "tariff.prefix",
    "tariff.per_minute",
    "tariff.setup",
    "tariff.increment",
    "tariff.currency",
];

/// Every `table.key` set in a TOML value, array elements merged.
fn keys_of(value: &toml::Value, prefix: &str, keys: &mut Vec<String>) {
    match value {
        toml::Value::Table(table) => {
            for (key, inner) in table {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                if !matches!(inner, toml::Value::Table(_)) && !is_table_array(inner) {
                    keys.push(path.clone());
                }
                keys_of(inner, &path, keys);
            }
        }
        toml::Value::Array(items) if is_table_array(value) => {
            items.iter().for_each(|item| keys_of(item, prefix, keys));
        }
        _ => {}
    }
}

fn is_table_array(value: &toml::Value) -> bool {
    matches!(value, toml::Value::Array(items) if items.iter().all(toml::Value::is_table) && !items.is_empty())
}

#[test]
fn full_sets_every_key_of_the_spec() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../deploy/examples");
    let text = std::fs::read_to_string(dir.join("full.toml")).unwrap();
    let mut keys = Vec::new();
    let table: toml::Table = toml::from_str(&text).unwrap();
    keys_of(&toml::Value::Table(table), "", &mut keys);
    for key in SPEC_KEYS {
        assert!(
            keys.iter().any(|k| k == key),
            "full.toml does not set {key}"
        );
    }
    for key in &keys {
        assert!(SPEC_KEYS.contains(&key.as_str()), "{key} is not in spec §3");
    }
}
