//! `callbackd check --config FILE`: validate a configuration file.

use std::path::Path;
use std::process::ExitCode;

use crate::EXIT_INVALID;

/// Validates the file; prints a one-line summary on success, every error on failure.
pub fn run(path: &Path) -> ExitCode {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("{}: cannot read: {err}", path.display());
            return ExitCode::from(EXIT_INVALID);
        }
    };
    match config::Config::from_toml(&text) {
        Ok(cfg) => {
            println!("{}: ok ({})", path.display(), cfg.summary());
            ExitCode::SUCCESS
        }
        Err(errors) => {
            for err in errors.iter() {
                eprintln!("{}:{err}", path.display());
            }
            ExitCode::from(EXIT_INVALID)
        }
    }
}
