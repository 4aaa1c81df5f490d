//! `[[trunk]]`: the lines the node is connected by (spec §2).
//!
//! One flat serde table holds the keys of every kind; the conversion checks that each
//! kind has its own keys (`listen` for sip, `port` for isdn, `device` for gsm) and none
//! of the others'. Defaults: sip `transport = "udp"`, `rtp_ports = "20000-20999"`,
//! `keepalive = "30s"` (OPTIONS to the peer; `"0s"` turns it off — not in the spec's
//! table: an operator needs it off for peers that do not answer OPTIONS);
//! isdn `side = "te"`; gsm `baud = 115200`, `model = "generic"`, no `audio_device`; every
//! kind `reject_mode = "reject"`, `analog = false`, `number_format = "e164"`, and
//! `reject_with` taken from `[callback]` when the trunk does not override it.
//!
//! CLI trust (spec §2): isdn and gsm default to trusted (network-screened CLI). sip
//! defaults to trusted exactly when `peer` is set, since From/P-Asserted-Identity are
//! trusted only from the peer's address; `trusted_cli = true` without a `peer` is an
//! error. `ring_limit` (default 60 s) belongs to `reject_mode = "ignore"`: set with
//! `"reject"` it would do nothing, so it is an error rather than a silent no-op.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use crate::callback::RejectWith;
use crate::duration::parse_duration;
use crate::error::{Issues, Problem};
use crate::ports::PortRange;
use crate::value::{label_name, socket_addr};

/// The kind of a trunk: what it speaks and how it is wired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TrunkKind {
    Sip,
    Isdn,
    Gsm,
}

impl TrunkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TrunkKind::Sip => "sip",
            TrunkKind::Isdn => "isdn",
            TrunkKind::Gsm => "gsm",
        }
    }
}

impl fmt::Display for TrunkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// SIP transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    Udp,
    Tcp,
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Udp => "udp",
            Transport::Tcp => "tcp",
        }
    }
}

/// The ISDN side the node plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Terminal equipment: the node is the subscriber (user side).
    Te,
    /// Network termination: the node is the network side.
    Nt,
}

/// The GSM modem's AT dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Model {
    Generic,
    Simcom,
    Quectel,
    Huawei,
}

/// How numbers are written towards the trunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NumberFormat {
    /// `+48601234567`.
    E164,
    /// `48601234567`.
    International,
    /// `601234567` (with `node.national_prefix` where the country uses one).
    National,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RawRejectMode {
    Reject,
    Ignore,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTrunk {
    pub name: Option<String>,
    pub kind: Option<TrunkKind>,
    // sip
    pub listen: Option<String>,
    pub transport: Option<Transport>,
    pub peer: Option<String>,
    rtp_ports: Option<String>,
    keepalive: Option<String>,
    // isdn
    port: Option<u32>,
    side: Option<Side>,
    // gsm
    device: Option<PathBuf>,
    audio_device: Option<PathBuf>,
    baud: Option<u32>,
    model: Option<Model>,
    // every kind
    trusted_cli: Option<bool>,
    reject_with: Option<RejectWith>,
    reject_mode: Option<RawRejectMode>,
    ring_limit: Option<String>,
    analog: Option<bool>,
    number_format: Option<NumberFormat>,
}

/// What a trunk does with a known caller's trigger call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectMode {
    /// Ring, then reject with `reject_with`.
    Reject,
    /// Keep ringing until the caller gives up, at most `ring_limit`.
    Ignore { ring_limit: Duration },
}

/// A SIP trunk's addresses.
#[derive(Debug, Clone, PartialEq)]
pub struct SipLink {
    pub listen: SocketAddr,
    pub transport: Transport,
    /// Where calls are sent, and the only address whose CLI may be trusted.
    pub peer: Option<SocketAddr>,
    pub rtp_ports: PortRange,
    /// The OPTIONS interval towards the peer that tells whether the trunk is up; `None`
    /// (`keepalive = "0s"`) sends none and counts the trunk up once its socket is bound.
    pub keepalive: Option<Duration>,
}

/// `keepalive` when the file does not say.
const DEFAULT_KEEPALIVE: &str = "30s";

/// An ISDN trunk's mISDN port.
#[derive(Debug, Clone, PartialEq)]
pub struct IsdnLink {
    pub port: u32,
    pub side: Side,
}

/// A GSM trunk's modem.
#[derive(Debug, Clone, PartialEq)]
pub struct GsmLink {
    pub device: PathBuf,
    pub audio_device: Option<PathBuf>,
    pub baud: u32,
    pub model: Model,
}

/// The kind-specific part of a trunk.
#[derive(Debug, Clone, PartialEq)]
pub enum Link {
    Sip(SipLink),
    Isdn(IsdnLink),
    Gsm(GsmLink),
}

/// A validated `[[trunk]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Trunk {
    pub name: String,
    pub link: Link,
    pub trusted_cli: bool,
    /// `None`: `[callback].reject_with` applies.
    pub reject_with: Option<RejectWith>,
    pub reject_mode: RejectMode,
    pub analog: bool,
    pub number_format: NumberFormat,
}

impl Trunk {
    pub fn kind(&self) -> TrunkKind {
        match self.link {
            Link::Sip(_) => TrunkKind::Sip,
            Link::Isdn(_) => TrunkKind::Isdn,
            Link::Gsm(_) => TrunkKind::Gsm,
        }
    }

    /// The rejection to send: the trunk's own, else the node's.
    pub fn reject_with(&self, node_default: RejectWith) -> RejectWith {
        self.reject_with.unwrap_or(node_default)
    }
}

impl RawTrunk {
    /// The kind-specific keys present, with the kind each belongs to.
    fn kind_keys(&self) -> [(&'static str, bool, TrunkKind); 11] {
        use TrunkKind::{Gsm, Isdn, Sip};
        [
            ("listen", self.listen.is_some(), Sip),
            ("transport", self.transport.is_some(), Sip),
            ("peer", self.peer.is_some(), Sip),
            ("rtp_ports", self.rtp_ports.is_some(), Sip),
            ("keepalive", self.keepalive.is_some(), Sip),
            ("port", self.port.is_some(), Isdn),
            ("side", self.side.is_some(), Isdn),
            ("device", self.device.is_some(), Gsm),
            ("audio_device", self.audio_device.is_some(), Gsm),
            ("baud", self.baud.is_some(), Gsm),
            ("model", self.model.is_some(), Gsm),
        ]
    }

    fn check_foreign_keys(&self, kind: TrunkKind, issues: &mut Issues) {
        for (key, present, owner) in self.kind_keys() {
            if present && owner != kind {
                let problem = Problem::WrongKind {
                    key,
                    owner: owner.as_str(),
                    kind: kind.as_str(),
                };
                issues.key(key, problem);
            }
        }
    }

    fn sip(&self, issues: &mut Issues) -> Option<Link> {
        let listen = issues.required("listen", self.listen.as_deref());
        let listen = listen.and_then(|s| issues.check("listen", s, socket_addr));
        let peer = issues.check_opt("peer", self.peer.as_deref(), socket_addr);
        let rtp_ports = self.rtp_ports.as_deref().unwrap_or("20000-20999");
        let rtp_ports = issues.check("rtp_ports", rtp_ports, |s| {
            s.parse::<PortRange>()?.for_rtp()
        });
        let keepalive = self.keepalive.as_deref().unwrap_or(DEFAULT_KEEPALIVE);
        let keepalive = issues.check("keepalive", keepalive, parse_duration);
        let keepalive = keepalive.map(|d| Some(d).filter(|d| !d.is_zero()));
        Some(Link::Sip(SipLink {
            listen: listen?,
            transport: self.transport.unwrap_or(Transport::Udp),
            peer: peer?,
            rtp_ports: rtp_ports?,
            keepalive: keepalive?,
        }))
    }

    fn isdn(&self, issues: &mut Issues) -> Option<Link> {
        let port = issues.required("port", self.port)?;
        let side = self.side.unwrap_or(Side::Te);
        Some(Link::Isdn(IsdnLink { port, side }))
    }

    fn gsm(&self, issues: &mut Issues) -> Option<Link> {
        let device = issues.required("device", self.device.clone())?;
        let baud = self.baud.unwrap_or(115_200);
        if baud == 0 {
            issues.value("baud", Problem::Zero);
        }
        Some(Link::Gsm(GsmLink {
            device,
            audio_device: self.audio_device.clone(),
            baud,
            model: self.model.unwrap_or(Model::Generic),
        }))
    }

    fn link(&self, kind: TrunkKind, issues: &mut Issues) -> Option<Link> {
        let mut own = Issues::default();
        let link = match kind {
            TrunkKind::Sip => self.sip(&mut own),
            TrunkKind::Isdn => self.isdn(&mut own),
            TrunkKind::Gsm => self.gsm(&mut own),
        };
        for mut issue in own.0 {
            if issue.problem == Problem::MissingKey {
                issue.problem = Problem::MissingForKind(kind.as_str());
            }
            issues.0.push(issue);
        }
        link
    }

    fn trusted_cli(&self, link: &Link, issues: &mut Issues) -> bool {
        match (link, self.trusted_cli) {
            (Link::Sip(sip), Some(true)) if sip.peer.is_none() => {
                issues.value("trusted_cli", Problem::TrustWithoutPeer);
                false
            }
            (Link::Sip(sip), trusted) => trusted.unwrap_or(sip.peer.is_some()),
            (_, trusted) => trusted.unwrap_or(true),
        }
    }

    fn reject_mode(&self, issues: &mut Issues) -> Option<RejectMode> {
        let ring_limit =
            issues.check_opt("ring_limit", self.ring_limit.as_deref(), parse_duration)?;
        match (
            self.reject_mode.unwrap_or(RawRejectMode::Reject),
            ring_limit,
        ) {
            (RawRejectMode::Reject, None) => Some(RejectMode::Reject),
            (RawRejectMode::Reject, Some(_)) => {
                issues.key("ring_limit", Problem::RingLimitWithoutIgnore);
                None
            }
            (RawRejectMode::Ignore, Some(limit)) if limit.is_zero() => {
                issues.value("ring_limit", Problem::Zero);
                None
            }
            (RawRejectMode::Ignore, limit) => Some(RejectMode::Ignore {
                ring_limit: limit.unwrap_or(Duration::from_secs(60)),
            }),
        }
    }
}

impl TryFrom<RawTrunk> for Trunk {
    type Error = Issues;

    fn try_from(raw: RawTrunk) -> Result<Self, Issues> {
        let mut issues = Issues::default();
        let name = issues.required("name", raw.name.clone());
        let name = name.and_then(|n| issues.check("name", n, label_name));
        let kind = issues.required("kind", raw.kind);
        if let Some(kind) = kind {
            raw.check_foreign_keys(kind, &mut issues);
        }
        let link = kind.and_then(|kind| raw.link(kind, &mut issues));
        let trusted_cli = link.as_ref().map(|link| raw.trusted_cli(link, &mut issues));
        let reject_mode = raw.reject_mode(&mut issues);
        let trunk = (|| {
            Some(Trunk {
                name: name?,
                link: link?,
                trusted_cli: trusted_cli?,
                reject_with: raw.reject_with,
                reject_mode: reject_mode?,
                analog: raw.analog.unwrap_or(false),
                number_format: raw.number_format.unwrap_or(NumberFormat::E164),
            })
        })();
        issues.finish(trunk)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sip(listen: &str, peer: Option<&str>) -> RawTrunk {
        RawTrunk {
            name: Some("t".into()),
            kind: Some(TrunkKind::Sip),
            listen: Some(listen.into()),
            peer: peer.map(Into::into),
            ..RawTrunk::default()
        }
    }

    fn keys(issues: Issues) -> Vec<String> {
        issues.0.into_iter().map(|i| i.key).collect()
    }

    #[test]
    fn sip_trust_follows_peer() {
        let trunk = Trunk::try_from(sip("127.0.0.1:5060", Some("127.0.0.1:5070"))).unwrap();
        assert!(trunk.trusted_cli);
        let trunk = Trunk::try_from(sip("[::1]:5060", None)).unwrap();
        assert!(!trunk.trusted_cli);
        let trusting = RawTrunk {
            trusted_cli: Some(true),
            ..sip("[::1]:5060", None)
        };
        let issues = Trunk::try_from(trusting).unwrap_err();
        assert_eq!(issues.0[0].problem, Problem::TrustWithoutPeer);
    }

    #[test]
    fn kind_keys_are_required_and_exclusive() {
        let gsm = RawTrunk {
            name: Some("g".into()),
            kind: Some(TrunkKind::Gsm),
            listen: Some("127.0.0.1:5060".into()),
            port: Some(0),
            ..RawTrunk::default()
        };
        let issues = Trunk::try_from(gsm).unwrap_err();
        assert_eq!(keys(issues.clone()), ["listen", "port", "device"]);
        assert_eq!(issues.0[2].problem, Problem::MissingForKind("gsm"));
    }

    #[test]
    fn ring_limit_belongs_to_ignore() {
        let raw = RawTrunk {
            ring_limit: Some("30s".into()),
            ..sip("127.0.0.1:5060", None)
        };
        assert_eq!(keys(Trunk::try_from(raw).unwrap_err()), ["ring_limit"]);
        let raw = RawTrunk {
            reject_mode: Some(RawRejectMode::Ignore),
            ..sip("127.0.0.1:5060", None)
        };
        let trunk = Trunk::try_from(raw).unwrap();
        assert_eq!(
            trunk.reject_mode,
            RejectMode::Ignore {
                ring_limit: Duration::from_secs(60)
            }
        );
    }

    #[test]
    fn isdn_and_gsm_defaults() {
        let isdn = RawTrunk {
            name: Some("i".into()),
            kind: Some(TrunkKind::Isdn),
            port: Some(1),
            ..RawTrunk::default()
        };
        let trunk = Trunk::try_from(isdn).unwrap();
        assert!(trunk.trusted_cli);
        assert_eq!(
            trunk.link,
            Link::Isdn(IsdnLink {
                port: 1,
                side: Side::Te
            })
        );
        let gsm = RawTrunk {
            name: Some("g".into()),
            kind: Some(TrunkKind::Gsm),
            device: Some("/dev/ttyUSB2".into()),
            ..RawTrunk::default()
        };
        let trunk = Trunk::try_from(gsm).unwrap();
        let Link::Gsm(link) = &trunk.link else {
            panic!("not gsm")
        };
        assert_eq!(
            (link.baud, link.model, link.audio_device.as_ref()),
            (115_200, Model::Generic, None)
        );
        assert_eq!(trunk.reject_with(RejectWith::Decline), RejectWith::Decline);
    }

    #[test]
    fn bad_addresses_and_ranges() {
        let raw = RawTrunk {
            rtp_ports: Some("20001-20999".into()),
            ..sip("localhost:5060", Some("10.0.0.1"))
        };
        assert_eq!(
            keys(Trunk::try_from(raw).unwrap_err()),
            ["listen", "peer", "rtp_ports"]
        );
    }
}
