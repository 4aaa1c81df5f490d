//! Starting the trunk actors of a configuration.

use std::sync::Arc;

use actix::prelude::*;
use config::{Config, Link};
use drivers::media::MediaCounters;
use drivers::trunk::{CallOwner, TrunkHandle, TrunkId, TrunkStatus};
use drivers::unavailable::UnavailableTrunk;
use engine::coordinator::Coordinator;

/// Starts one actor per `[[trunk]]`, in order (a trunk's index is its `TrunkId`).
pub async fn start(
    config: &Config,
    coordinator: &Addr<Coordinator>,
    status: Recipient<TrunkStatus>,
    _counters: &Arc<MediaCounters>,
) -> anyhow::Result<Vec<TrunkHandle>> {
    let owner = CallOwner {
        events: coordinator.clone().recipient(),
        media: coordinator.clone().recipient(),
    };
    let _ = &owner;
    let mut handles = Vec::with_capacity(config.trunks.len());
    for (index, trunk) in config.trunks.iter().enumerate() {
        let id = TrunkId(index);
        let handle = match &trunk.link {
            Link::Sip(_) => UnavailableTrunk::start(id, &trunk.name, "sip", status.clone()),
            Link::Isdn(_) => UnavailableTrunk::start(id, &trunk.name, "isdn", status.clone()),
            Link::Gsm(_) => UnavailableTrunk::start(id, &trunk.name, "gsm", status.clone()),
        };
        handles.push(handle);
    }
    Ok(handles)
}
