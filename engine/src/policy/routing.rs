//! Which trunks carry a call (spec §2, §3 `[[route]]`): internal extensions go to the dial
//! plan's `internal_trunk`; external numbers take the route with the longest matching
//! prefix, its trunks in order. Trunks that are down are skipped by the caller, which
//! knows their state.

use config::{Config, E164, route_for};

use super::numbering::Dialled;
use crate::session::TrunkId;

/// The trunks to try for `dialled`, in order; empty when nothing routes it.
pub fn trunks_for(config: &Config, dialled: &Dialled) -> Vec<TrunkId> {
    match dialled {
        Dialled::Internal(_) => config
            .dialplan
            .internal_trunk
            .iter()
            .filter_map(|n| id(config, n))
            .collect(),
        Dialled::External(number) => trunks_for_number(config, number),
    }
}

/// The trunks of the route for an E.164 number (also the callback's route to a mobile).
pub fn trunks_for_number(config: &Config, number: &E164) -> Vec<TrunkId> {
    route_for(&config.routes, number)
        .map(|route| route.trunks.iter().filter_map(|n| id(config, n)).collect())
        .unwrap_or_default()
}

fn id(config: &Config, name: &str) -> Option<TrunkId> {
    config
        .trunks
        .iter()
        .position(|t| t.name == name)
        .map(TrunkId)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::fixture;

    #[test]
    fn longest_prefix_wins_and_internal_goes_to_the_pbx() {
        let cfg = fixture::config();
        let e164 = |n: &str| Dialled::External(E164::parse(n).unwrap());
        assert_eq!(
            trunks_for(&cfg, &e164("+48601234567")),
            vec![TrunkId(0), TrunkId(2)]
        );
        assert_eq!(trunks_for(&cfg, &e164("+49301234567")), vec![TrunkId(2)]);
        assert_eq!(
            trunks_for(&cfg, &Dialled::Internal("101".into())),
            vec![TrunkId(1)]
        );
    }
}
