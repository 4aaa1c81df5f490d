//! The `CallbackSession` actor: carries out what the sans-IO [`machine`](super::machine)
//! decides.
//!
//! It feeds the machine the legs' call events (from the trunks), the keys and media
//! timeouts (from its media task) and the authorisation answers (from the coordinator),
//! then drains the machine's actions — commands and originations to trunks, tones and
//! bridging to its media task, authorisation requests — and arms one timer at the
//! machine's next deadline. When the machine finishes, the actor builds the CDR, hands it
//! to the coordinator and stops.

use std::collections::HashMap;

use actix::prelude::*;
use drivers::media::session::{self as media, LegKey, MediaCommand, MediaNotice};
use drivers::media::{MediaEvent, MediaParams};
use drivers::trunk::{CallOwner, Command, LegEvent, LegMedia, Originate, TrunkCall};
use protocols::call::{CallCommand, CallEvent, Cause};
use protocols::g711::Law;
use protocols::tone::Tone;
use tokio::sync::mpsc;

use super::Refusal;
use super::machine::{Action, CallbackSession, Leg, SessionEvent, Transit};
use crate::cdr::{self, SessionParties, WallClock};
use crate::coordinator::{Authorise, Coordinator, SessionDone, SessionPhase};
use crate::env::{Env, now};
use crate::identify::Caller;

/// A session's id, unique on the node.
pub type SessionId = u64;

/// Keys and media timeouts from the session's media task.
#[derive(Debug, Message)]
#[rtype(result = "()")]
struct Notice(MediaNotice);

fn key(leg: Leg) -> LegKey {
    LegKey(match leg {
        Leg::Trigger => 0,
        Leg::Callback => 1,
        Leg::Transit => 2,
    })
}

fn leg(key: LegKey) -> Leg {
    match key.0 {
        0 => Leg::Trigger,
        1 => Leg::Callback,
        _ => Leg::Transit,
    }
}

pub struct SessionActor {
    id: SessionId,
    machine: CallbackSession,
    env: Env,
    coordinator: Addr<Coordinator>,
    caller: Caller,
    parties: SessionParties,
    wall: WallClock,
    legs: HashMap<Leg, TrunkCall>,
    by_call: HashMap<TrunkCall, Leg>,
    /// Each leg's G.711 law, once its media is up.
    laws: HashMap<Leg, Law>,
    /// Tones asked for before the leg's media was up.
    pending_tones: HashMap<Leg, Tone>,
    /// Commands for legs whose origination is still in flight.
    pending_commands: HashMap<Leg, Vec<CallCommand>>,
    media: Option<mpsc::Sender<MediaCommand>>,
    timer: Option<SpawnHandle>,
    /// Every log line of the session carries its id.
    span: tracing::Span,
    /// Messages for calls whose origination has not been answered yet.
    unclaimed: Vec<Unclaimed>,
    /// The dial-tone latency is measured once, at the first dial tone.
    dial_tone_observed: bool,
}

impl SessionActor {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: SessionId,
        machine: CallbackSession,
        env: Env,
        coordinator: Addr<Coordinator>,
        caller: Caller,
        parties: SessionParties,
        trigger: TrunkCall,
    ) -> SessionActor {
        SessionActor {
            id,
            machine,
            env,
            coordinator,
            caller,
            parties,
            wall: WallClock::new(now(), std::time::SystemTime::now()),
            legs: HashMap::from([(Leg::Trigger, trigger)]),
            by_call: HashMap::from([(trigger, Leg::Trigger)]),
            laws: HashMap::new(),
            pending_tones: HashMap::new(),
            pending_commands: HashMap::new(),
            media: None,
            timer: None,
            span: tracing::info_span!("session", id),
            dial_tone_observed: false,
            unclaimed: Vec::new(),
        }
    }

    pub fn owner(addr: &Addr<SessionActor>) -> CallOwner {
        CallOwner {
            events: addr.clone().recipient(),
            media: addr.clone().recipient(),
        }
    }

    /// Drains the machine and re-arms the timer. Called after every input.
    fn drive(&mut self, ctx: &mut Context<Self>) {
        let span = self.span.clone();
        let _entered = span.enter();
        while let Some(action) = self.machine.poll_action() {
            self.act(action, ctx);
        }
        while let Some(event) = self.machine.poll_event() {
            self.report(event, ctx);
        }
        if let Some(timer) = self.timer.take() {
            ctx.cancel_future(timer);
        }
        if let Some(deadline) = self.machine.poll_timeout() {
            let wait = deadline.saturating_duration_since(now());
            self.timer = Some(ctx.run_later(wait, |act, ctx| {
                act.timer = None;
                act.machine.handle_timeout(now());
                act.drive(ctx);
            }));
        }
    }

    fn act(&mut self, action: Action, ctx: &mut Context<Self>) {
        match action {
            Action::Originate {
                leg,
                trunk,
                command,
            } => self.originate(leg, trunk, command, ctx),
            Action::Command { leg, command } => self.command(leg, command),
            Action::Play { leg, tone } => self.play(leg, tone),
            Action::Silence { leg } => {
                self.pending_tones.remove(&leg);
                self.media_command(MediaCommand::Silence(key(leg)));
            }
            Action::Bridge => {
                self.media_command(MediaCommand::Bridge(key(Leg::Callback), key(Leg::Transit)))
            }
            Action::Unbridge => self.media_command(MediaCommand::Unbridge),
            Action::Authorise { dialled } => self.authorise(dialled, ctx),
        }
    }

    fn originate(
        &mut self,
        leg: Leg,
        trunk: drivers::trunk::TrunkId,
        command: CallCommand,
        ctx: &mut Context<Self>,
    ) {
        let CallCommand::Originate {
            called,
            calling,
            hide_calling,
        } = command
        else {
            return;
        };
        let Some(handle) = self.env.trunk(trunk) else {
            let released = CallEvent::Released {
                cause: Cause::NO_ROUTE_TO_DESTINATION,
            };
            self.machine.handle_leg_event(leg, released, now());
            return;
        };
        self.pending_commands.insert(leg, Vec::new());
        let request = Originate {
            called,
            calling,
            hide_calling,
            owner: SessionActor::owner(&ctx.address()),
        };
        let send = handle.originate.send(request);
        ctx.spawn(send.into_actor(self).map(move |result, act, ctx| {
            match result {
                Ok(Ok(call)) => {
                    act.legs.insert(leg, call);
                    act.by_call.insert(call, leg);
                    let queued = act.pending_commands.remove(&leg).unwrap_or_default();
                    act.claim(call, leg);
                    for command in queued {
                        act.command(leg, command);
                    }
                }
                Ok(Err(cause)) => {
                    act.pending_commands.remove(&leg);
                    act.machine
                        .handle_leg_event(leg, CallEvent::Released { cause }, now());
                }
                Err(_) => {
                    act.pending_commands.remove(&leg);
                    let cause = Cause::TEMPORARY_FAILURE;
                    act.machine
                        .handle_leg_event(leg, CallEvent::Released { cause }, now());
                }
            }
            act.drive(ctx);
        }));
    }

    fn command(&mut self, leg: Leg, command: CallCommand) {
        let ends = matches!(
            command,
            CallCommand::HangUp { .. } | CallCommand::Reject { .. } | CallCommand::Decline
        );
        match self.legs.get(&leg) {
            Some(&call) => {
                if let Some(handle) = self.env.trunk(call.trunk) {
                    handle.command.do_send(Command { call, command });
                }
            }
            None => {
                if let Some(queue) = self.pending_commands.get_mut(&leg) {
                    queue.push(command);
                }
                return;
            }
        }
        if ends {
            self.forget(leg);
        }
    }

    /// The leg's call is over: its id and media go.
    fn forget(&mut self, leg: Leg) {
        if let Some(call) = self.legs.remove(&leg) {
            self.by_call.remove(&call);
        }
        self.laws.remove(&leg);
        self.pending_tones.remove(&leg);
        self.media_command(MediaCommand::DropLeg(key(leg)));
    }

    fn play(&mut self, leg: Leg, tone: Tone) {
        match self.laws.get(&leg) {
            Some(&law) => {
                let table = self.env.tones.get(tone, law);
                self.media_command(MediaCommand::Play(key(leg), table));
            }
            None => {
                self.pending_tones.insert(leg, tone);
            }
        }
    }

    fn media_command(&mut self, command: MediaCommand) {
        if let Some(media) = &self.media
            && media.try_send(command).is_err()
        {
            tracing::warn!(
                session = self.id,
                "media command queue full; command dropped"
            );
        }
    }

    fn authorise(&mut self, dialled: String, ctx: &mut Context<Self>) {
        let request = Authorise {
            session: self.id,
            caller: self.caller,
            dialled,
        };
        let send = self.coordinator.send(request);
        ctx.spawn(send.into_actor(self).map(|result, act, ctx| {
            let result: Result<Transit, Refusal> = result.unwrap_or(Err(Refusal::NoRoute));
            if let Ok(transit) = &result {
                act.parties.dialled_e164 =
                    crate::identify::to_e164(&act.env.config.node, &transit.called);
            }
            act.machine.handle_authorisation(result, now());
            act.drive(ctx);
        }));
    }

    fn report(&mut self, event: SessionEvent, ctx: &mut Context<Self>) {
        match event {
            SessionEvent::Phase { from, to } => {
                tracing::debug!(?from, ?to, "phase");
                self.coordinator.do_send(SessionPhase {
                    session: self.id,
                    from,
                    to,
                });
            }
            SessionEvent::TimerFired { timer, late } => {
                tracing::trace!(timer = timer.as_str(), ?late, "timer");
                crate::metrics::observe_timer(timer, late);
            }
            SessionEvent::Finished => self.finish(ctx),
        }
    }

    fn finish(&mut self, ctx: &mut Context<Self>) {
        let record = self.machine.record().clone();
        let cdr = cdr::build(&record, &self.parties, &self.env.config, self.wall);
        tracing::info!(
            session = %cdr.session_id,
            extension = %cdr.extension,
            outcome = %cdr.outcome,
            reason = %cdr.reason,
            dialled = cdr.dialled.as_deref().unwrap_or(""),
            bridged_seconds = cdr.bridged_seconds,
            "session finished"
        );
        self.coordinator.do_send(SessionDone {
            session: self.id,
            caller: self.caller,
            cdr,
            record,
        });
        self.media = None;
        ctx.stop();
    }
}

impl Actor for SessionActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        let (notices, mut heard) = mpsc::channel::<MediaNotice>(32);
        let (commands, _task) = media::spawn(
            self.env.clock.clone(),
            self.env.counters.clone(),
            self.env.media_timeout,
            notices,
        );
        self.media = Some(commands);
        let addr = ctx.address();
        tokio::spawn(async move {
            while let Some(notice) = heard.recv().await {
                if addr.try_send(Notice(notice)).is_err() {
                    break;
                }
            }
        });
        self.drive(ctx);
    }
}

impl SessionActor {
    fn on_leg_event(&mut self, leg: Leg, event: CallEvent) {
        if matches!(event, CallEvent::Released { .. }) {
            self.forget(leg);
        }
        self.machine.handle_leg_event(leg, event, now());
    }

    fn on_leg_media(&mut self, leg: Leg, msg: LegMedia) {
        let params: MediaParams = msg.params;
        self.laws.insert(leg, params.law);
        self.media_command(MediaCommand::AddLeg(key(leg), msg.socket, params));
        if let Some(tone) = self.pending_tones.remove(&leg) {
            self.play(leg, tone);
        }
    }

    /// Whether a message for an unknown call may belong to an origination whose answer
    /// (the call's id) has not arrived yet: a fast peer can answer or refuse before the
    /// trunk's reply reaches the session.
    fn keep_for_later(&mut self, item: Unclaimed) {
        if !self.pending_commands.is_empty() && self.unclaimed.len() < MAX_UNCLAIMED {
            self.unclaimed.push(item);
        }
    }

    /// Handles what arrived for `call` before its origination was answered.
    fn claim(&mut self, call: TrunkCall, leg: Leg) {
        let (mine, others): (Vec<_>, Vec<_>) = std::mem::take(&mut self.unclaimed)
            .into_iter()
            .partition(|u| u.call() == call);
        self.unclaimed = others;
        for item in mine {
            match item {
                Unclaimed::Event(msg) => self.on_leg_event(leg, msg.event),
                Unclaimed::Media(msg) => self.on_leg_media(leg, msg),
            }
        }
    }
}

/// Messages for a call the session cannot place yet.
enum Unclaimed {
    Event(LegEvent),
    Media(LegMedia),
}

impl Unclaimed {
    fn call(&self) -> TrunkCall {
        match self {
            Unclaimed::Event(e) => e.call,
            Unclaimed::Media(m) => m.call,
        }
    }
}

/// Messages kept for originations in flight; more are dropped.
const MAX_UNCLAIMED: usize = 32;

impl Handler<LegEvent> for SessionActor {
    type Result = ();

    fn handle(&mut self, msg: LegEvent, ctx: &mut Context<Self>) {
        let Some(&leg) = self.by_call.get(&msg.call) else {
            self.keep_for_later(Unclaimed::Event(msg));
            return;
        };
        self.on_leg_event(leg, msg.event);
        self.drive(ctx);
    }
}

impl Handler<LegMedia> for SessionActor {
    type Result = ();

    fn handle(&mut self, msg: LegMedia, ctx: &mut Context<Self>) {
        let Some(&leg) = self.by_call.get(&msg.call) else {
            self.keep_for_later(Unclaimed::Media(msg));
            return;
        };
        self.on_leg_media(leg, msg);
        self.drive(ctx);
    }
}

impl Handler<Notice> for SessionActor {
    type Result = ();

    fn handle(&mut self, Notice((key, event)): Notice, ctx: &mut Context<Self>) {
        match event {
            MediaEvent::Digit(_, digit) => self.machine.handle_digit(leg(key), digit, now()),
            MediaEvent::Timeout if leg(key) == Leg::Callback => {
                self.machine.handle_media_timeout(now())
            }
            MediaEvent::Timeout => {}
            MediaEvent::ToneStarted(at)
                if leg(key) == Leg::Callback && !self.dial_tone_observed =>
            {
                if let Some(answered) = self.machine.record().callback_answered_at {
                    self.dial_tone_observed = true;
                    let latency = at.into_std().saturating_duration_since(answered);
                    crate::metrics::metrics()
                        .dial_tone_seconds
                        .observe(latency.as_secs_f64());
                }
            }
            MediaEvent::ToneStarted(_) => {}
        }
        self.drive(ctx);
    }
}

/// The coordinator asks the session to end (shutdown past the grace period).
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct Abort;

impl Handler<Abort> for SessionActor {
    type Result = ();

    fn handle(&mut self, _: Abort, ctx: &mut Context<Self>) {
        self.machine.abort(now());
        self.drive(ctx);
    }
}
