//! A trunk whose kind has no driver in this build (ISDN or GSM on a node without them):
//! it reports itself down once, refuses every origination with cause 34 (no circuit, so
//! routes fail over to their next trunk) and ignores commands. The node still starts, so
//! the other trunks work and the operator sees the trunk down in the metrics.

use actix::prelude::*;
use protocols::call::Cause;

use crate::trunk::{Attach, Command, Originate, TrunkCall, TrunkHandle, TrunkId, TrunkStatus};

pub struct UnavailableTrunk {
    id: TrunkId,
    name: String,
    kind: &'static str,
    status: Recipient<TrunkStatus>,
}

impl UnavailableTrunk {
    pub fn start(
        id: TrunkId,
        name: &str,
        kind: &'static str,
        status: Recipient<TrunkStatus>,
    ) -> TrunkHandle {
        let addr = UnavailableTrunk {
            id,
            name: name.to_owned(),
            kind,
            status,
        }
        .start();
        TrunkHandle {
            id,
            name: name.to_owned(),
            originate: addr.clone().recipient(),
            command: addr.clone().recipient(),
            attach: addr.recipient(),
        }
    }
}

impl Actor for UnavailableTrunk {
    type Context = Context<Self>;

    fn started(&mut self, _: &mut Context<Self>) {
        tracing::error!(trunk = %self.name, kind = self.kind, "no driver for this trunk kind in this build; the trunk stays down");
        self.status.do_send(TrunkStatus {
            trunk: self.id,
            up: false,
        });
    }
}

impl Handler<Originate> for UnavailableTrunk {
    type Result = Result<TrunkCall, Cause>;

    fn handle(&mut self, _: Originate, _: &mut Context<Self>) -> Self::Result {
        Err(Cause::NO_CIRCUIT_AVAILABLE)
    }
}

impl Handler<Command> for UnavailableTrunk {
    type Result = ();

    fn handle(&mut self, _: Command, _: &mut Context<Self>) {}
}

impl Handler<Attach> for UnavailableTrunk {
    type Result = ();

    fn handle(&mut self, _: Attach, _: &mut Context<Self>) {}
}
