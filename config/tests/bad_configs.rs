//! One bad configuration per error class, under `tests/data/bad/`: each must fail with
//! exactly the errors listed here, in file order, each as (line, part of the key).
//! Every file of the directory must have a row, so a new file cannot go unchecked.

use std::path::PathBuf;

use config::{Config, ConfigErrors};

/// (file, [(line, key substring)]) — every error the file must produce.
const CASES: &[(&str, &[(usize, &str)])] = &[
    ("syntax.toml", &[(4, "syntax"), (11, "syntax")]),
    (
        "unknown_keys.toml",
        &[
            (2, "nodes"),
            (6, "callback.dealy"),
            (13, "trunk[0].secret"),
            (22, "user[0].mobile[0].roaming"),
        ],
    ),
    ("missing_table.toml", &[(1, "trigger")]),
    (
        "missing_keys.toml",
        &[
            (2, "trunk[0].name"),
            (7, "trunk[1].kind"),
            (11, "trigger[0].number"),
            (14, "user[0].extension"),
            (16, "user[0].mobile[0].number"),
            (19, "route[0].trunks"),
            (22, "tariff[0].per_minute"),
        ],
    ),
    ("route_unknown_trunk.toml", &[(18, "route[0].trunks[1]")]),
    ("tariff_unknown_trunk.toml", &[(21, "tariff[0].trunk")]),
    (
        "dialplan_unknown_trunk.toml",
        &[(3, "dialplan.internal_trunk")],
    ),
    ("unknown_class.toml", &[(13, "user[0].class")]),
    ("duplicate_mobile.toml", &[(23, "user[1].mobile[0].number")]),
    (
        "duplicates.toml",
        &[
            (13, "trunk[1].name"),
            (22, "trigger[1].number"),
            (30, "user[1].extension"),
            (38, "class[1].name"),
            (45, "route[1].prefix"),
        ],
    ),
    (
        "bad_e164.toml",
        &[
            (9, "trigger[0].number"),
            (10, "trigger[0].callback_cli"),
            (15, "user[0].mobile[0].number"),
        ],
    ),
    (
        "bad_duration.toml",
        &[
            (3, "callback.delay"),
            (4, "callback.answer_timeout"),
            (5, "callback.max_duration"),
            (13, "trunk[0].ring_limit"),
        ],
    ),
    (
        "bad_socket_address.toml",
        &[
            (3, "metrics.listen"),
            (8, "trunk[0].listen"),
            (9, "trunk[0].peer"),
        ],
    ),
    (
        "bad_port_range.toml",
        &[(7, "trunk[0].rtp_ports"), (14, "trunk[1].rtp_ports")],
    ),
    (
        "bad_pattern.toml",
        &[(3, "dialplan.internal[1]"), (3, "dialplan.internal[2]")],
    ),
    (
        "negative_rate.toml",
        &[
            (13, "user[0].direct_rate"),
            (23, "tariff[0].per_minute"),
            (24, "tariff[0].setup"),
        ],
    ),
    ("demo_two_mobiles.toml", &[(16, "user[0].mobile[1].number")]),
    (
        "wrong_kind_key.toml",
        &[
            (7, "trunk[0].device"),
            (13, "trunk[1].listen"),
            (19, "trunk[2].baud"),
        ],
    ),
    (
        "kind_key_missing.toml",
        &[
            (2, "trunk[0].listen"),
            (7, "trunk[1].device"),
            (11, "trunk[2].port"),
        ],
    ),
    (
        "wrong_type.toml",
        &[
            (7, "trunk[0].analog"),
            (12, "trunk[1].port"),
            (18, "user[0].extension"),
            (21, "user[0].mobile[0].transit"),
            (25, "route[0].trunks"),
        ],
    ),
    ("listen_conflict.toml", &[(11, "trunk[1].listen")]),
    ("licensed_without_file.toml", &[(3, "licence.mode")]),
    (
        "ring_limit_without_ignore.toml",
        &[(8, "trunk[0].ring_limit")],
    ),
    (
        "trusted_without_peer.toml",
        &[(12, "trunk[1].trusted_cli"), (24, "route[0].trunks[1]")],
    ),
    (
        "internal_unreachable.toml",
        &[(1, "dialplan.internal_trunk")],
    ),
    (
        "bad_values.toml",
        &[
            (3, "node.country_code"),
            (4, "node.tones"),
            (11, "trunk[0].number_format"),
            (17, "user[0].extension"),
            (18, "user[0].pin"),
            (27, "route[1].prefix"),
            (33, "tariff[0].increment"),
            (34, "tariff[0].currency"),
        ],
    ),
];

fn bad_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/bad")
}

fn errors_of(file: &str) -> ConfigErrors {
    let text = std::fs::read_to_string(bad_dir().join(file)).unwrap();
    match Config::from_toml(&text) {
        Ok(_) => panic!("{file}: loaded, but must fail"),
        Err(errors) => errors,
    }
}

#[test]
fn every_bad_file_fails_with_exactly_its_errors() {
    for (file, expected) in CASES {
        let errors = errors_of(file);
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.key.as_str())).collect();
        assert_eq!(errors.len(), expected.len(), "{file}: {found:?}\n{errors}");
        for (error, (line, key)) in errors.iter().zip(expected.iter()) {
            assert_eq!(error.line, *line, "{file}: {error}");
            assert!(
                error.key.contains(key),
                "{file}: expected key {key}: {error}"
            );
            assert!(
                error.column >= 1 && !error.message.is_empty(),
                "{file}: {error}"
            );
        }
    }
}

#[test]
fn every_bad_file_has_a_case() {
    for entry in std::fs::read_dir(bad_dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            CASES.iter().any(|(file, _)| *file == name),
            "{name} has no row in CASES"
        );
    }
}

#[test]
fn messages_name_the_problem() {
    let message = |file: &str, i: usize| errors_of(file).0[i].message.clone();
    assert_eq!(
        message("demo_two_mobiles.toml", 0),
        "demo licence allows 1 callback number, found 2"
    );
    assert!(message("unknown_keys.toml", 1).starts_with("unknown key `dealy`"));
    assert_eq!(
        message("route_unknown_trunk.toml", 0),
        "unknown trunk `gsm9`"
    );
    assert_eq!(
        message("wrong_kind_key.toml", 0),
        "`device` applies only to gsm trunks, this one is sip"
    );
    assert_eq!(
        message("kind_key_missing.toml", 1),
        "required for gsm trunks"
    );
    assert!(message("duplicate_mobile.toml", 0).contains("already at user[0].mobile[0].number"));
}

#[test]
fn columns_point_at_the_key_or_value() {
    let errors = errors_of("unknown_keys.toml");
    let secret = &errors.0[2];
    assert_eq!(
        (secret.line, secret.column),
        (13, 1),
        "an unknown key: the key"
    );
    let errors = errors_of("route_unknown_trunk.toml");
    assert_eq!(
        errors.0[0].column, 23,
        "an unknown trunk: the array element"
    );
    let errors = errors_of("kind_key_missing.toml");
    assert_eq!(errors.0[0].column, 1, "a missing key: its table's header");
}

#[test]
fn display_is_line_column_key_message() {
    let errors = errors_of("route_unknown_trunk.toml");
    assert_eq!(
        errors.to_string(),
        "18:23: route[0].trunks[1]: unknown trunk `gsm9`"
    );
}

#[test]
fn a_demo_licence_counts_every_user() {
    let text = std::fs::read_to_string(bad_dir().join("duplicates.toml")).unwrap();
    let text = text.replace(
        "mode = \"licensed\"\nfile = \"licence.toml\"",
        "mode = \"demo\"",
    );
    let errors = Config::from_toml(&text).unwrap_err();
    assert!(
        errors
            .iter()
            .any(|e| e.message == "demo licence allows 1 callback number, found 2"),
        "{errors}"
    );
}
