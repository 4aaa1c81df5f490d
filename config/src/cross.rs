//! Checks across tables, made on the serde form so that a table with a bad value of its
//! own still takes part: names that must exist (trunks in routes, tariffs and
//! `dialplan.internal_trunk`; classes of users), values that must be unique (trunk and
//! class names, trigger numbers, extensions, mobile numbers, route prefixes, tariff
//! trunk+prefix, SIP listen addresses), and the demo licence's limit.
//!
//! Trunks that calls are sent to (routes, `internal_trunk`) must be able to send: a SIP
//! trunk without `peer` cannot. Two SIP trunks conflict when they listen on the same
//! port with the same transport and the same address, or one of them on the unspecified
//! address (`0.0.0.0`, `[::]`) of the same family.

use std::collections::HashMap;
use std::net::SocketAddr;

use crate::document::RawConfig;
use crate::error::{Issues, Problem};
use crate::licence::{DEMO_NUMBERS, LicenceMode};
use crate::trunk::{RawTrunk, Transport, TrunkKind};

/// Runs every cross-table check.
pub(crate) fn check(raw: &RawConfig) -> Issues {
    let mut issues = Issues::default();
    let trunks = trunk_names(raw, &mut issues);
    listen_conflicts(raw, &mut issues);
    routes(raw, &trunks, &mut issues);
    tariffs(raw, &trunks, &mut issues);
    dialplan(raw, &trunks, &mut issues);
    classes(raw, &mut issues);
    numbers(raw, &mut issues);
    demo_limit(raw, &mut issues);
    issues
}

/// Values seen so far, with the key of their first occurrence.
struct Seen {
    what: &'static str,
    first: HashMap<String, String>,
}

impl Seen {
    fn new(what: &'static str) -> Self {
        Seen {
            what,
            first: HashMap::new(),
        }
    }

    /// Records `value` at `key`, or a duplicate issue if it was seen before.
    fn note(&mut self, value: &str, key: String, issues: &mut Issues) {
        match self.first.get(value) {
            Some(first) => issues.value(
                key,
                Problem::Duplicate {
                    what: self.what,
                    value: value.to_owned(),
                    first: first.clone(),
                },
            ),
            None => {
                self.first.insert(value.to_owned(), key);
            }
        }
    }
}

fn list<T>(raw: &Option<Vec<T>>) -> &[T] {
    raw.as_deref().unwrap_or_default()
}

fn trunk_names<'r>(raw: &'r RawConfig, issues: &mut Issues) -> HashMap<&'r str, &'r RawTrunk> {
    let mut seen = Seen::new("trunk name");
    let mut trunks = HashMap::new();
    for (i, trunk) in list(&raw.trunk).iter().enumerate() {
        if let Some(name) = &trunk.name {
            seen.note(name, format!("trunk[{i}].name"), issues);
            trunks.entry(name.as_str()).or_insert(trunk);
        }
    }
    trunks
}

/// A SIP trunk's listening socket, when it parses.
fn sip_listen(trunk: &RawTrunk) -> Option<(SocketAddr, Transport)> {
    if trunk.kind != Some(TrunkKind::Sip) {
        return None;
    }
    let addr = trunk.listen.as_deref()?.parse().ok()?;
    Some((addr, trunk.transport.unwrap_or(Transport::Udp)))
}

fn overlap(a: SocketAddr, b: SocketAddr) -> bool {
    let same_family = a.is_ipv4() == b.is_ipv4();
    let any = a.ip().is_unspecified() || b.ip().is_unspecified();
    a.port() == b.port() && same_family && (a.ip() == b.ip() || any)
}

fn listen_conflicts(raw: &RawConfig, issues: &mut Issues) {
    let mut bound: Vec<(SocketAddr, Transport, usize)> = Vec::new();
    for (i, trunk) in list(&raw.trunk).iter().enumerate() {
        let Some((addr, transport)) = sip_listen(trunk) else {
            continue;
        };
        let clash = bound
            .iter()
            .find(|(a, t, _)| *t == transport && overlap(*a, addr));
        if let Some((_, _, first)) = clash {
            let problem = Problem::ListenConflict {
                addr: addr.to_string(),
                transport: transport.as_str(),
                first: format!("trunk[{first}]"),
            };
            issues.value(format!("trunk[{i}].listen"), problem);
        }
        bound.push((addr, transport, i));
    }
}

/// Checks a trunk name used at `key`; `sends` when calls are sent through it.
fn trunk_ref(
    trunks: &HashMap<&str, &RawTrunk>,
    name: &str,
    key: String,
    sends: bool,
    issues: &mut Issues,
) {
    match trunks.get(name) {
        None => issues.value(key, Problem::UnknownTrunk(name.to_owned())),
        Some(t) if sends && t.kind == Some(TrunkKind::Sip) && t.peer.is_none() => {
            issues.value(key, Problem::NoPeer(name.to_owned()))
        }
        Some(_) => {}
    }
}

fn routes(raw: &RawConfig, trunks: &HashMap<&str, &RawTrunk>, issues: &mut Issues) {
    let mut seen = Seen::new("route prefix");
    for (i, route) in list(&raw.route).iter().enumerate() {
        let prefix = route.prefix.as_deref().unwrap_or("");
        seen.note(prefix, format!("route[{i}].prefix"), issues);
        for (j, name) in list(&route.trunks).iter().enumerate() {
            trunk_ref(
                trunks,
                name,
                format!("route[{i}].trunks[{j}]"),
                true,
                issues,
            );
        }
    }
}

fn tariffs(raw: &RawConfig, trunks: &HashMap<&str, &RawTrunk>, issues: &mut Issues) {
    let mut seen = Seen::new("tariff (trunk, prefix)");
    for (i, tariff) in list(&raw.tariff).iter().enumerate() {
        let Some(name) = &tariff.trunk else { continue };
        trunk_ref(trunks, name, format!("tariff[{i}].trunk"), false, issues);
        let prefix = tariff.prefix.as_deref().unwrap_or("");
        seen.note(
            &format!("{name}, \"{prefix}\""),
            format!("tariff[{i}].prefix"),
            issues,
        );
    }
}

fn dialplan(raw: &RawConfig, trunks: &HashMap<&str, &RawTrunk>, issues: &mut Issues) {
    let plan = raw.dialplan.as_ref();
    if let Some(name) = plan.and_then(|p| p.internal_trunk.as_deref()) {
        trunk_ref(trunks, name, "dialplan.internal_trunk".into(), true, issues);
        return;
    }
    let has_internal = plan
        .and_then(|p| p.internal.as_ref())
        .is_none_or(|v| !v.is_empty());
    let routes = list(&raw.route);
    let default_route = routes
        .iter()
        .any(|r| r.prefix.as_deref().unwrap_or("").is_empty());
    // Without any route, the missing [[route]] is the error to report.
    if has_internal && !routes.is_empty() && !default_route {
        issues.value("dialplan.internal_trunk", Problem::InternalUnreachable);
    }
}

fn classes(raw: &RawConfig, issues: &mut Issues) {
    let mut seen = Seen::new("class name");
    for (i, class) in list(&raw.class).iter().enumerate() {
        if let Some(name) = &class.name {
            seen.note(name, format!("class[{i}].name"), issues);
        }
    }
    for (i, user) in list(&raw.user).iter().enumerate() {
        match &user.class {
            Some(name) if !name.is_empty() && !seen.first.contains_key(name) => issues.value(
                format!("user[{i}].class"),
                Problem::UnknownClass(name.clone()),
            ),
            _ => {}
        }
    }
}

fn numbers(raw: &RawConfig, issues: &mut Issues) {
    let mut triggers = Seen::new("trigger number");
    for (i, trigger) in list(&raw.trigger).iter().enumerate() {
        if let Some(number) = &trigger.number {
            triggers.note(number, format!("trigger[{i}].number"), issues);
        }
    }
    let mut extensions = Seen::new("extension");
    let mut mobiles = Seen::new("mobile number");
    for (i, user) in list(&raw.user).iter().enumerate() {
        if let Some(extension) = &user.extension {
            extensions.note(extension, format!("user[{i}].extension"), issues);
        }
        for (j, mobile) in list(&user.mobile).iter().enumerate() {
            if let Some(number) = &mobile.number {
                mobiles.note(number, format!("user[{i}].mobile[{j}].number"), issues);
            }
        }
    }
}

/// The demo licence allows one mobile number: the error points at the first one past it.
fn demo_limit(raw: &RawConfig, issues: &mut Issues) {
    let mode = raw.licence.as_ref().and_then(|l| l.mode);
    if mode == Some(LicenceMode::Licensed) {
        return;
    }
    let keys: Vec<String> = (list(&raw.user).iter().enumerate())
        .flat_map(|(i, user)| {
            (0..list(&user.mobile).len()).map(move |j| format!("user[{i}].mobile[{j}].number"))
        })
        .collect();
    if keys.len() > DEMO_NUMBERS {
        issues.value(keys[DEMO_NUMBERS].clone(), Problem::DemoLimit(keys.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_overlap() {
        let a = |s: &str| s.parse::<SocketAddr>().unwrap();
        assert!(overlap(a("127.0.0.1:5060"), a("127.0.0.1:5060")));
        assert!(overlap(a("0.0.0.0:5060"), a("127.0.0.1:5060")));
        assert!(!overlap(a("127.0.0.1:5060"), a("127.0.0.1:5062")));
        assert!(!overlap(a("127.0.0.2:5060"), a("127.0.0.1:5060")));
        assert!(!overlap(a("[::]:5060"), a("127.0.0.1:5060")));
        assert!(overlap(a("[::]:5060"), a("[::1]:5060")));
    }
}
