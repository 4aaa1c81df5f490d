//! Damaged configurations never panic the loader, and every error it reports points
//! inside the file. The damage: each example with one line removed, and cut short at
//! many places.

use std::path::PathBuf;

use config::Config;

fn examples() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../deploy/examples");
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "toml") {
            texts.push(std::fs::read_to_string(path).unwrap());
        }
    }
    texts
}

/// Loads `text`; errors must lie within it.
fn load(text: &str) {
    let lines = text.lines().count().max(1);
    if let Err(errors) = Config::from_toml(text) {
        assert!(!errors.is_empty());
        for error in errors.iter() {
            assert!(
                error.line >= 1 && error.line <= lines + 1,
                "{error}\n{text}"
            );
            assert!(error.column >= 1, "{error}");
        }
    }
}

#[test]
fn every_line_removed() {
    for text in examples() {
        let lines: Vec<&str> = text.lines().collect();
        for skip in 0..lines.len() {
            let damaged: Vec<&str> = (lines.iter().enumerate())
                .filter(|(i, _)| *i != skip)
                .map(|(_, line)| *line)
                .collect();
            load(&damaged.join("\n"));
        }
    }
}

#[test]
fn cut_short() {
    for text in examples() {
        let cuts = (0..text.len())
            .step_by(5)
            .filter(|i| text.is_char_boundary(*i));
        for cut in cuts {
            load(&text[..cut]);
        }
    }
}

#[test]
fn strange_but_valid_toml() {
    let cases = [
        "",
        "[[node]]\nname = \"x\"",
        "trunk = 5",
        "trunk = [1, 2]",
        "[trunk]\nname = \"a\"",
        "[[user]]\n[user.mobile]\nnumber = 1",
        "\"a.b\" = { c = [[], {}] }",
        "name = \"żółw\" x",
    ];
    for text in cases {
        load(text);
    }
}
