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
