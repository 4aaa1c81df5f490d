//! callbackd configuration (spec §3): the TOML schema, its validation, and the typed
//! values the rest of the node uses.
//!
//! The model: every section has a serde form (`Raw*`, all keys optional, unknown keys
//! refused) and a validated form reached by `TryFrom` ("parse, don't validate"): numbers
//! are [`E164`] or [`Extension`], durations are [`std::time::Duration`], addresses are
//! [`std::net::SocketAddr`], and so on. Defaults are applied in the conversion, exactly
//! as the spec lists them; each section module's documentation names its own.
//!
//! Loading never stops at the first problem: [`Config::from_toml`] returns every error
//! of the file, each with the dotted key (`trunk[2].rtp_ports`) and the line and column
//! of the key or value at fault (see the `load` module for how).
//!
//! Decisions where the spec leaves room:
//! - Every problem is an error; there are no warnings. `ring_limit` without
//!   `reject_mode = "ignore"`, and `licence.file` without `mode = "licensed"`, are
//!   errors: a key that would silently do nothing is refused.
//! - `ring_limit` defaults to 60 s under `reject_mode = "ignore"`.
//! - `trusted_cli = true` on a SIP trunk without `peer` is an error; routes and
//!   `dialplan.internal_trunk` may not name a SIP trunk without `peer`.
//! - Two SIP trunks may not listen on the same port and transport at the same address
//!   (or one on `0.0.0.0` / `[::]` of the same family).
//! - `dialplan.internal_trunk` has no default; without it internal extensions use the
//!   default route, and with neither the file is refused.
//! - Durations need a unit (`"5"` is refused); socket addresses are numeric, port not 0;
//!   RTP port ranges start on an even port; trunk names are letters, digits, `-`, `_`
//!   (they are metric labels).
//! - A route or tariff without `prefix` has `prefix = ""`; a tariff's `per_minute` is
//!   required, `setup` defaults to 0, `increment` to `"1s"`, `currency` to `"PLN"`.
//! - A user needs at least one `[[user.mobile]]`; `transit` defaults to false.
//! - The licence file is not read here: it is read and its signature verified when the
//!   node starts (`callbackd run`).
//!
//! Reloading (SIGHUP) is loading again: a file that fails leaves the running
//! configuration in place, which is the caller's part.

mod callback;
mod class;
mod cross;
mod dialplan;
mod document;
mod duration;
mod error;
mod licence;
mod load;
mod node;
mod number;
mod pattern;
mod ports;
mod route;
mod source;
mod tariff;
mod trigger;
mod trunk;
mod user;
mod value;

use std::path::Path;

pub use callback::{Callback, RejectWith};
pub use class::Class;
pub use dialplan::Dialplan;
pub use duration::{DurationError, parse_duration};
pub use error::{ConfigError, ConfigErrors, LoadError};
pub use licence::{DEMO_NUMBERS, Licence};
pub use node::{Cdr, Metrics, Node, TonePlan};
pub use number::{E164, Extension, NumberError, Pin, Prefix};
pub use pattern::{Match, Pattern, PatternError};
pub use ports::{PortRange, PortRangeError};
pub use route::{Route, route_for};
pub use tariff::Tariff;
pub use trigger::Trigger;
pub use trunk::{
    GsmLink, IsdnLink, Link, Model, NumberFormat, RejectMode, Side, SipLink, Transport, Trunk,
    TrunkKind,
};
pub use user::{Mobile, User};

/// A validated configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub node: Node,
    pub metrics: Metrics,
    pub cdr: Cdr,
    pub licence: Licence,
    pub callback: Callback,
    pub trunks: Vec<Trunk>,
    pub triggers: Vec<Trigger>,
    pub users: Vec<User>,
    pub classes: Vec<Class>,
    pub dialplan: Dialplan,
    pub routes: Vec<Route>,
    pub tariffs: Vec<Tariff>,
}

impl Config {
    /// Parses and validates a configuration, reporting every error of the text.
    pub fn from_toml(text: &str) -> Result<Config, ConfigErrors> {
        load::load(text)
    }

    /// Reads and validates a configuration file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Config, LoadError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Config::from_toml(&text).map_err(LoadError::Invalid)
    }

    /// A one-line account, such as `3 trunks, 1 trigger, 2 users, 2 routes`.
    pub fn summary(&self) -> String {
        [
            count(self.trunks.len(), "trunk"),
            count(self.triggers.len(), "trigger"),
            count(self.users.len(), "user"),
            count(self.routes.len(), "route"),
        ]
        .join(", ")
    }

    /// The trunk called `name`.
    pub fn trunk(&self, name: &str) -> Option<&Trunk> {
        self.trunks.iter().find(|t| t.name == name)
    }

    /// The class called `name`.
    pub fn class(&self, name: &str) -> Option<&Class> {
        self.classes.iter().find(|c| c.name == name)
    }
}

fn count(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(count(1, "trunk"), "1 trunk");
        assert_eq!(count(3, "trunk"), "3 trunks");
        assert_eq!(count(0, "route"), "0 routes");
    }
}
