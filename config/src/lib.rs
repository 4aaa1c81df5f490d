//! callbackd configuration (spec §3): filled in by the configuration work.

use std::fmt;

/// A validated configuration.
#[derive(Debug)]
pub struct Config;

/// One configuration error with its position.
#[derive(Debug)]
pub struct ConfigError {
    pub line: usize,
    pub column: usize,
    pub key: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.line, self.column, self.key, self.message
        )
    }
}

/// Every error found in one file.
#[derive(Debug)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl ConfigErrors {
    pub fn iter(&self) -> impl Iterator<Item = &ConfigError> {
        self.0.iter()
    }
}

impl Config {
    pub fn from_toml(_text: &str) -> Result<Config, ConfigErrors> {
        Err(ConfigErrors(vec![ConfigError {
            line: 1,
            column: 1,
            key: String::new(),
            message: "not built yet".into(),
        }]))
    }

    pub fn summary(&self) -> String {
        String::new()
    }
}
