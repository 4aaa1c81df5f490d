//! Starting the trunk actors of a configuration.

use std::sync::Arc;

use actix::prelude::*;
use config::{Config, Link, Trunk};
use drivers::sip::{SipCounters, SipTrunk};
use drivers::trunk::{CallOwner, TrunkHandle, TrunkId, TrunkStatus};
use drivers::unavailable::UnavailableTrunk;
use engine::coordinator::Coordinator;
use protocols::sip::header::Transport;
use protocols::sip::ua::{NumberFormat, UaConfig};

/// A started trunk, and its SIP counters for the metrics.
pub struct Started {
    pub handle: TrunkHandle,
    pub sip: Option<Arc<SipCounters>>,
}

/// Starts one actor per `[[trunk]]`, in order (a trunk's index is its `TrunkId`).
pub async fn start(
    config: &Config,
    coordinator: &Addr<Coordinator>,
    status: Recipient<TrunkStatus>,
) -> anyhow::Result<Vec<Started>> {
    let owner = CallOwner {
        events: coordinator.clone().recipient(),
        media: coordinator.clone().recipient(),
    };
    let mut started = Vec::with_capacity(config.trunks.len());
    for (index, trunk) in config.trunks.iter().enumerate() {
        let id = TrunkId(index);
        let one = match &trunk.link {
            Link::Sip(link) => {
                let counters = Arc::new(SipCounters::default());
                let ua = ua_config(config, trunk, link);
                let handle = SipTrunk::start(
                    id,
                    &trunk.name,
                    link,
                    ua,
                    owner.clone(),
                    status.clone(),
                    counters.clone(),
                )
                .await
                .map_err(|e| anyhow::anyhow!("trunk {}: {} on {}", trunk.name, e, link.listen))?;
                Started {
                    handle,
                    sip: Some(counters),
                }
            }
            Link::Isdn(_) => unavailable(id, trunk, "isdn", &status),
            Link::Gsm(_) => unavailable(id, trunk, "gsm", &status),
        };
        started.push(one);
    }
    Ok(started)
}

fn unavailable(
    id: TrunkId,
    trunk: &Trunk,
    kind: &'static str,
    status: &Recipient<TrunkStatus>,
) -> Started {
    Started {
        handle: UnavailableTrunk::start(id, &trunk.name, kind, status.clone()),
        sip: None,
    }
}

fn ua_config(config: &Config, trunk: &Trunk, link: &config::SipLink) -> UaConfig {
    let mut ua = UaConfig::new(link.listen, link.peer);
    ua.transport = match link.transport {
        config::Transport::Udp => Transport::Udp,
        config::Transport::Tcp => Transport::Tcp,
    };
    ua.trusted_cli = trunk.trusted_cli;
    ua.number_format = match trunk.number_format {
        config::NumberFormat::E164 => NumberFormat::E164,
        config::NumberFormat::International => NumberFormat::International,
        config::NumberFormat::National => NumberFormat::National,
    };
    ua.country_code = config.node.country_code.clone();
    ua.keepalive = link.peer.and(link.keepalive);
    ua.user_agent = format!(
        "callbackd/{} ({})",
        env!("CARGO_PKG_VERSION"),
        config.node.name
    );
    ua
}
