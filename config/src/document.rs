//! The whole file: the serde form of every section ([`RawConfig`]) and its conversion
//! into a [`Config`], section by section, collecting every issue.
//!
//! Only `[[trunk]]`, `[[trigger]]`, `[[user]]` and `[[route]]` are required; every other
//! table takes its defaults when absent.

use serde::Deserialize;

use crate::Config;
use crate::callback::RawCallback;
use crate::class::RawClass;
use crate::cross;
use crate::dialplan::RawDialplan;
use crate::error::{Issues, Problem};
use crate::licence::RawLicence;
use crate::node::{RawCdr, RawMetrics, RawNode};
use crate::route::RawRoute;
use crate::tariff::RawTariff;
use crate::trigger::RawTrigger;
use crate::trunk::RawTrunk;
use crate::user::RawUser;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfig {
    node: Option<RawNode>,
    metrics: Option<RawMetrics>,
    cdr: Option<RawCdr>,
    pub licence: Option<RawLicence>,
    callback: Option<RawCallback>,
    pub trunk: Option<Vec<RawTrunk>>,
    pub trigger: Option<Vec<RawTrigger>>,
    pub user: Option<Vec<RawUser>>,
    pub class: Option<Vec<RawClass>>,
    pub dialplan: Option<RawDialplan>,
    pub route: Option<Vec<RawRoute>>,
    pub tariff: Option<Vec<RawTariff>>,
}

/// Converts one table, nesting its issues under `key`.
fn table<R, T: TryFrom<R, Error = Issues>>(issues: &mut Issues, key: &str, raw: R) -> Option<T> {
    T::try_from(raw)
        .map_err(|inner| issues.nest(key, inner))
        .ok()
}

/// Converts an array of tables, nesting each element's issues under `key[i]`.
fn tables<R, T: TryFrom<R, Error = Issues>>(
    issues: &mut Issues,
    key: &str,
    raw: Vec<R>,
) -> Option<Vec<T>> {
    let before = issues.0.len();
    let converted: Vec<T> = (raw.into_iter().enumerate())
        .filter_map(|(i, raw)| table(issues, &format!("{key}[{i}]"), raw))
        .collect();
    (issues.0.len() == before).then_some(converted)
}

/// Like [`tables`] for a required array: at least one element.
fn required_tables<R, T: TryFrom<R, Error = Issues>>(
    issues: &mut Issues,
    key: &'static str,
    raw: Option<Vec<R>>,
) -> Option<Vec<T>> {
    match raw {
        Some(raw) if !raw.is_empty() => tables(issues, key, raw),
        _ => {
            issues.value(key, Problem::MissingTable(key));
            None
        }
    }
}

impl TryFrom<RawConfig> for Config {
    type Error = Issues;

    fn try_from(raw: RawConfig) -> Result<Self, Issues> {
        let mut issues = cross::check(&raw);
        let i = &mut issues;
        let node = table(i, "node", raw.node.unwrap_or_default());
        let metrics = table(i, "metrics", raw.metrics.unwrap_or_default());
        let cdr = table(i, "cdr", raw.cdr.unwrap_or_default());
        let licence = table(i, "licence", raw.licence.unwrap_or_default());
        let callback = table(i, "callback", raw.callback.unwrap_or_default());
        let trunks = required_tables(i, "trunk", raw.trunk);
        let triggers = required_tables(i, "trigger", raw.trigger);
        let users = required_tables(i, "user", raw.user);
        let classes = tables(i, "class", raw.class.unwrap_or_default());
        let dialplan = table(i, "dialplan", raw.dialplan.unwrap_or_default());
        let routes = required_tables(i, "route", raw.route);
        let tariffs = tables(i, "tariff", raw.tariff.unwrap_or_default());
        let config = (|| {
            Some(Config {
                node: node?,
                metrics: metrics?,
                cdr: cdr?,
                licence: licence?,
                callback: callback?,
                trunks: trunks?,
                triggers: triggers?,
                users: users?,
                classes: classes?,
                dialplan: dialplan?,
                routes: routes?,
                tariffs: tariffs?,
            })
        })();
        issues.finish(config)
    }
}
