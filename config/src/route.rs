//! `[[route]]`: which trunks carry calls to which numbers.
//!
//! The longest matching `prefix` wins; `""` (the default when `prefix` is absent) is the
//! default route. Trunks are tried in the order listed. Two routes with the same prefix
//! are an error (checked with the cross-references, as are the trunk names).

use serde::Deserialize;

use crate::error::{Issues, Problem};
use crate::number::{E164, Prefix};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRoute {
    pub prefix: Option<String>,
    pub trunks: Option<Vec<String>>,
}

/// A validated `[[route]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub prefix: Prefix,
    /// Trunk names, in the order they are tried.
    pub trunks: Vec<String>,
}

/// The route for `number`: the one with the longest matching prefix.
pub fn route_for<'r>(routes: &'r [Route], number: &E164) -> Option<&'r Route> {
    routes
        .iter()
        .filter(|r| r.prefix.matches(number))
        .max_by_key(|r| r.prefix.len())
}

impl TryFrom<RawRoute> for Route {
    type Error = Issues;

    fn try_from(raw: RawRoute) -> Result<Self, Issues> {
        let mut issues = Issues::default();
        let prefix = raw.prefix.unwrap_or_default();
        let prefix = issues.check("prefix", prefix.as_str(), Prefix::parse);
        let trunks = issues.required("trunks", raw.trunks);
        if trunks.as_ref().is_some_and(Vec::is_empty) {
            issues.value("trunks", Problem::Empty);
        }
        let route = (|| {
            Some(Route {
                prefix: prefix?,
                trunks: trunks?,
            })
        })();
        issues.finish(route)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(prefix: &str, trunk: &str) -> Route {
        Route::try_from(RawRoute {
            prefix: Some(prefix.into()),
            trunks: Some(vec![trunk.into()]),
        })
        .unwrap()
    }

    #[test]
    fn longest_prefix_wins() {
        let routes = [
            route("", "default"),
            route("+48", "pl"),
            route("+4860", "mobile"),
        ];
        let number = |s| E164::parse(s).unwrap();
        assert_eq!(
            route_for(&routes, &number("+48601234567")).unwrap().trunks[0],
            "mobile"
        );
        assert_eq!(
            route_for(&routes, &number("+48221234567")).unwrap().trunks[0],
            "pl"
        );
        assert_eq!(
            route_for(&routes, &number("+4930123")).unwrap().trunks[0],
            "default"
        );
        assert!(route_for(&routes[1..], &number("+4930123")).is_none());
    }

    #[test]
    fn a_route_needs_trunks_and_a_good_prefix() {
        let raw = RawRoute {
            prefix: Some("48".into()),
            trunks: Some(vec![]),
        };
        let keys: Vec<_> = Route::try_from(raw)
            .unwrap_err()
            .0
            .into_iter()
            .map(|i| i.key)
            .collect();
        assert_eq!(keys, ["prefix", "trunks"]);
    }
}
