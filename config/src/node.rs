//! `[node]`, `[metrics]` and `[cdr]`: who the node is and where it reports.
//!
//! Defaults (spec §3): name `pbx-1`, tone plan `pl`, country code `48`, no national
//! prefix, international prefix `00`; metrics on `127.0.0.1:9464`; CDRs in
//! `var/cdr.sqlite` (relative paths are taken from the node's working directory).

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Deserialize;

use crate::error::{Issues, Problem};
use crate::value::socket_addr;

/// The dial, ring and busy tone plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TonePlan {
    /// Poland: 425 Hz; ring 1 s on, 4 s off.
    Pl,
    /// The ETSI/CEPT plan.
    Eu,
    /// North America (precise tone plan).
    Us,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNode {
    name: Option<String>,
    tones: Option<TonePlan>,
    country_code: Option<String>,
    national_prefix: Option<String>,
    international_prefix: Option<String>,
}

/// `[node]`: the node's name and numbering plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub name: String,
    pub tones: TonePlan,
    /// Digits, without `+` or international prefix (`"48"`).
    pub country_code: String,
    /// `""` where the country has none, `"0"` where it has one.
    pub national_prefix: String,
    pub international_prefix: String,
}

impl TryFrom<RawNode> for Node {
    type Error = Issues;

    fn try_from(raw: RawNode) -> Result<Self, Issues> {
        let mut issues = Issues::default();
        let name = raw.name.unwrap_or_else(|| "pbx-1".into());
        if name.is_empty() {
            issues.value("name", Problem::Empty);
        }
        let country_code = raw.country_code.unwrap_or_else(|| "48".into());
        if !is_country_code(&country_code) {
            issues.value(
                "country_code",
                Problem::Expected("1 to 3 digits, not starting with 0"),
            );
        }
        let national_prefix = raw.national_prefix.unwrap_or_default();
        if !national_prefix.bytes().all(|b| b.is_ascii_digit()) {
            issues.value(
                "national_prefix",
                Problem::Expected("digits, or \"\" for none"),
            );
        }
        let international_prefix = raw.international_prefix.unwrap_or_else(|| "00".into());
        if international_prefix.is_empty()
            || !international_prefix.bytes().all(|b| b.is_ascii_digit())
        {
            issues.value(
                "international_prefix",
                Problem::Expected("digits, such as \"00\""),
            );
        }
        let node = Node {
            name,
            tones: raw.tones.unwrap_or(TonePlan::Pl),
            country_code,
            national_prefix,
            international_prefix,
        };
        issues.finish(Some(node))
    }
}

fn is_country_code(code: &str) -> bool {
    (1..=3).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_digit())
        && !code.starts_with('0')
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMetrics {
    listen: Option<String>,
}

/// `[metrics]`: where Prometheus scrapes `/metrics` (and `/healthz`, `/readyz`).
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    pub listen: SocketAddr,
}

impl TryFrom<RawMetrics> for Metrics {
    type Error = Issues;

    fn try_from(raw: RawMetrics) -> Result<Self, Issues> {
        let mut issues = Issues::default();
        let listen = raw.listen.unwrap_or_else(|| "127.0.0.1:9464".into());
        let listen = issues.check("listen", listen.as_str(), socket_addr);
        issues.finish(listen.map(|listen| Metrics { listen }))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCdr {
    path: Option<PathBuf>,
}

/// `[cdr]`: the CDR database, created if missing.
#[derive(Debug, Clone, PartialEq)]
pub struct Cdr {
    pub path: PathBuf,
}

impl TryFrom<RawCdr> for Cdr {
    type Error = Issues;

    fn try_from(raw: RawCdr) -> Result<Self, Issues> {
        let mut issues = Issues::default();
        let path = raw.path.unwrap_or_else(|| "var/cdr.sqlite".into());
        if path.as_os_str().is_empty() {
            issues.value("path", Problem::Empty);
        }
        issues.finish(Some(Cdr { path }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes() {
        assert!(is_country_code("48") && is_country_code("1") && is_country_code("420"));
        assert!(!is_country_code("") && !is_country_code("0") && !is_country_code("4800"));
    }

    #[test]
    fn bad_numbering_plan_is_reported_per_key() {
        let raw = RawNode {
            country_code: Some("+48".into()),
            international_prefix: Some(String::new()),
            ..RawNode::default()
        };
        let keys: Vec<_> = Node::try_from(raw)
            .unwrap_err()
            .0
            .into_iter()
            .map(|i| i.key)
            .collect();
        assert_eq!(keys, ["country_code", "international_prefix"]);
    }
}
