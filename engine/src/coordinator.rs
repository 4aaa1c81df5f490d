//! The `CallbackCoordinator` actor: receives every trunk's unattached incoming calls,
//! decides which are triggers, and spawns one [`SessionActor`] per accepted trigger. It
//! also answers the sessions' authorisation questions (it alone knows each user's calls in
//! progress and spend today), hands finished CDRs to the writer, and keeps the metrics of
//! triggers and sessions. It routes and spawns; the calls themselves are the sessions'.
//!
//! Triggers refused (spec §1 step 1): an unknown, withheld or untrusted CLI is rejected at
//! once (`Reject { cause: 21 }`: SIP 403, Q.931 cause 21); so is a mobile over
//! `max_triggers_per_minute`. A repeated trigger from a mobile whose callback has not been
//! placed yet is refused the same way and makes no second callback ("one callback per
//! burst"); it costs the caller nothing either way. A call to a number that is not a
//! trigger gets cause 1 (SIP 404). While the node drains, triggers get cause 41 (503).

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix::prelude::*;
use config::E164;
use drivers::trunk::{Attach, Command, LegEvent, LegMedia, TrunkCall, TrunkStatus};
use protocols::call::{CallCommand, CallEvent, Cause, NumberKind, PartyNumber, Presentation};

use crate::cdr::writer::CdrWriter;
use crate::cdr::{Cdr, SessionParties};
use crate::env::{Env, now};
use crate::identify::{Caller, NotTrigger, TriggerResult, identify};
use crate::metrics::metrics;
use crate::policy::authorise::{Usage, authorise};
use crate::policy::numbering::Dialled;
use crate::policy::routing;
use crate::session::actor::{Abort, SessionActor, SessionId};
use crate::session::{CallbackSession, CallbackTarget, Phase, Refusal, SessionRecord, Transit};
use crate::settings::session_settings;

/// The window of `max_triggers_per_minute`.
const RATE_WINDOW: Duration = Duration::from_secs(60);

/// A session asks whether its user may call `dialled`.
#[derive(Debug, Message)]
#[rtype(result = "Result<Transit, Refusal>")]
pub struct Authorise {
    pub session: SessionId,
    pub caller: Caller,
    pub dialled: String,
}

/// A session changed phase.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct SessionPhase {
    pub session: SessionId,
    pub from: Phase,
    pub to: Phase,
}

/// A session is over.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct SessionDone {
    pub session: SessionId,
    pub caller: Caller,
    pub cdr: Cdr,
    pub record: SessionRecord,
}

/// Stop taking triggers; end the sessions still running after `grace`.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct Drain {
    pub grace: Duration,
}

/// A new, validated configuration for sessions that start from now on.
#[derive(Debug, Message)]
#[rtype(result = "Result<(), &'static str>")]
pub struct Reload(pub Arc<config::Config>);

/// How many sessions are running (for shutdown and tests).
#[derive(Debug, Message)]
#[rtype(result = "usize")]
pub struct ActiveSessions;

struct Running {
    addr: Addr<SessionActor>,
    mobile: E164,
    phase: Phase,
    /// Holds one of the user's concurrent-call slots.
    holds_slot: bool,
}

/// What a user has going on today.
#[derive(Debug, Default, Clone, Copy)]
struct Today {
    usage: Usage,
    /// Days since the epoch (UTC) the spend belongs to.
    day: i64,
}

pub struct Coordinator {
    env: Env,
    cdr: CdrWriter,
    sessions: HashMap<SessionId, Running>,
    /// Sessions whose callback has not been placed yet, by mobile.
    waiting: HashMap<E164, SessionId>,
    recent_triggers: HashMap<E164, VecDeque<Instant>>,
    today: HashMap<String, Today>,
    next_id: SessionId,
    draining: bool,
    /// Trunks reported down; routes skip them while another trunk remains.
    down: std::collections::HashSet<drivers::trunk::TrunkId>,
}

impl Coordinator {
    /// `spent` is what each extension has spent today (from the CDR database).
    pub fn new(env: Env, cdr: CdrWriter, spent: Vec<(String, f64, f64)>) -> Coordinator {
        let day = today();
        let today = spent
            .into_iter()
            .map(|(extension, cost, minutes)| {
                let usage = Usage {
                    bridged_now: 0,
                    cost_today: cost,
                    minutes_today: minutes,
                };
                (extension, Today { usage, day })
            })
            .collect();
        Coordinator {
            env,
            cdr,
            sessions: HashMap::new(),
            waiting: HashMap::new(),
            recent_triggers: HashMap::new(),
            today,
            next_id: 1,
            draining: false,
            down: Default::default(),
        }
    }

    fn offered(
        &mut self,
        call: TrunkCall,
        called: Option<PartyNumber>,
        calling: Option<PartyNumber>,
        trusted: bool,
        ctx: &mut Context<Self>,
    ) {
        let trunk_name = self
            .env
            .trunk(call.trunk)
            .map_or("?", |t| t.name.as_str())
            .to_owned();
        let reject = |this: &Self, cause| this.command(call, CallCommand::Reject { cause });
        if self.draining {
            reject(self, Cause::TEMPORARY_FAILURE);
            return;
        }
        let caller = match identify(&self.env.config, called.as_ref(), calling.as_ref(), trusted) {
            Ok(caller) => caller,
            Err(NotTrigger::NotATriggerNumber) => {
                reject(self, Cause::UNALLOCATED_NUMBER);
                return;
            }
            Err(NotTrigger::Refused(result)) => {
                count_trigger(&trunk_name, result);
                reject(self, Cause::CALL_REJECTED);
                return;
            }
        };
        let mobile = self.env.config.users[caller.user].mobiles[caller.mobile]
            .number
            .clone();
        if !self.within_rate(&mobile) {
            count_trigger(&trunk_name, TriggerResult::RateLimited);
            reject(self, Cause::CALL_REJECTED);
            return;
        }
        if self.waiting.contains_key(&mobile) {
            // One callback per burst: this trigger changes nothing.
            count_trigger(&trunk_name, TriggerResult::Accepted);
            reject(self, Cause::USER_BUSY);
            return;
        }
        count_trigger(&trunk_name, TriggerResult::Accepted);
        self.spawn_session(call, caller, mobile, ctx);
    }

    fn within_rate(&mut self, mobile: &E164) -> bool {
        let limit = self.env.config.callback.max_triggers_per_minute as usize;
        let at = now();
        let recent = self.recent_triggers.entry(mobile.clone()).or_default();
        while recent
            .front()
            .is_some_and(|&t| at.duration_since(t) >= RATE_WINDOW)
        {
            recent.pop_front();
        }
        recent.push_back(at);
        recent.len() <= limit
    }

    fn spawn_session(
        &mut self,
        call: TrunkCall,
        caller: Caller,
        mobile: E164,
        ctx: &mut Context<Self>,
    ) {
        let config = &self.env.config;
        let Some(trunk) = config.trunks.get(call.trunk.0) else {
            return;
        };
        let user = &config.users[caller.user];
        let trigger = &config.triggers[caller.trigger];
        let target = CallbackTarget {
            mobile: international(&mobile),
            presented: international(&trigger.callback_cli),
            trunks: self.usable(routing::trunks_for_number(config, &mobile)),
        };
        let plan = Arc::new(config.dialplan.clone());
        let machine = CallbackSession::new(session_settings(config, trunk), target, plan, now());
        let id = self.next_id;
        self.next_id += 1;
        let parties = SessionParties {
            session_id: format!("{}-{}-{id}", config.node.name, unix_seconds()),
            extension: user.extension.as_str().to_owned(),
            mobile: mobile.clone(),
            trigger: trigger.number.clone(),
            dialled_e164: None,
            direct_rate: user.direct_rate,
        };
        let actor = SessionActor::new(
            id,
            machine,
            self.env.clone(),
            ctx.address(),
            caller,
            parties,
            call,
        );
        let addr = actor.start();
        if let Some(handle) = self.env.trunk(call.trunk) {
            handle.attach.do_send(Attach {
                call,
                owner: SessionActor::owner(&addr),
            });
        }
        metrics()
            .sessions_active
            .with_label_values(&[Phase::Ringing.as_str()])
            .inc();
        self.waiting.insert(mobile.clone(), id);
        self.sessions.insert(
            id,
            Running {
                addr,
                mobile,
                phase: Phase::Ringing,
                holds_slot: false,
            },
        );
    }

    /// A route's trunks without those that are down — unless that leaves none, when the
    /// route is tried as it is (a trunk may come back before its keepalive says so).
    fn usable(&self, trunks: Vec<drivers::trunk::TrunkId>) -> Vec<drivers::trunk::TrunkId> {
        let up: Vec<_> = trunks
            .iter()
            .copied()
            .filter(|t| !self.down.contains(t))
            .collect();
        if up.is_empty() { trunks } else { up }
    }

    fn command(&self, call: TrunkCall, command: CallCommand) {
        if let Some(handle) = self.env.trunk(call.trunk) {
            handle.command.do_send(Command { call, command });
        }
    }

    fn usage(&mut self, extension: &str) -> &mut Today {
        let day = today();
        let entry = self.today.entry(extension.to_owned()).or_default();
        if entry.day != day {
            entry.usage.cost_today = 0.0;
            entry.usage.minutes_today = 0.0;
            entry.day = day;
        }
        entry
    }
}

fn count_trigger(trunk: &str, result: TriggerResult) {
    metrics()
        .triggers
        .with_label_values(&[trunk, result.as_str()])
        .inc();
}

/// A configured E.164 number as a party number for a trunk.
fn international(number: &E164) -> PartyNumber {
    PartyNumber {
        digits: number.digits().to_owned(),
        kind: NumberKind::International,
        presentation: Presentation::Allowed,
    }
}

fn unix_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn today() -> i64 {
    (unix_seconds() / 86_400) as i64
}

impl Actor for Coordinator {
    type Context = Context<Self>;
}

impl Handler<LegEvent> for Coordinator {
    type Result = ();

    /// Events of calls no session owns: only offers matter.
    fn handle(&mut self, msg: LegEvent, ctx: &mut Context<Self>) {
        if let CallEvent::Offered {
            called,
            calling,
            cli_trusted,
        } = msg.event
        {
            self.offered(msg.call, called, calling, cli_trusted, ctx);
        }
    }
}

impl Handler<LegMedia> for Coordinator {
    type Result = ();

    /// Media of an unattached call: nobody listens; the sockets close.
    fn handle(&mut self, _: LegMedia, _: &mut Context<Self>) {}
}

impl Handler<TrunkStatus> for Coordinator {
    type Result = ();

    fn handle(&mut self, msg: TrunkStatus, _: &mut Context<Self>) {
        let Some(trunk) = self.env.config.trunks.get(msg.trunk.0) else {
            return;
        };
        let gauge = metrics()
            .trunk_up
            .with_label_values(&[&trunk.name, trunk.kind().as_str()]);
        gauge.set(i64::from(msg.up));
        if msg.up {
            self.down.remove(&msg.trunk);
        } else {
            self.down.insert(msg.trunk);
        }
        tracing::info!(trunk = %trunk.name, up = msg.up, "trunk status");
    }
}

impl Handler<Authorise> for Coordinator {
    type Result = Result<Transit, Refusal>;

    fn handle(&mut self, msg: Authorise, _: &mut Context<Self>) -> Self::Result {
        let config = self.env.config.clone();
        let user = &config.users[msg.caller.user];
        let mobile = &user.mobiles[msg.caller.mobile];
        let cli = &config.triggers[msg.caller.trigger].callback_cli;
        let holds = self
            .sessions
            .get(&msg.session)
            .is_some_and(|s| s.holds_slot);
        let mut usage = self.usage(user.extension.as_str()).usage;
        if holds {
            // A chained call replaces the session's own call.
            usage.bridged_now = usage.bridged_now.saturating_sub(1);
        }
        let mut grant = authorise(&config, user, mobile, cli, &msg.dialled, usage)?;
        grant.trunks = self.usable(std::mem::take(&mut grant.trunks));
        if !holds {
            self.usage(user.extension.as_str()).usage.bridged_now += 1;
            if let Some(session) = self.sessions.get_mut(&msg.session) {
                session.holds_slot = true;
            }
        }
        let analog = grant.trunks.iter().all(|t| config.trunks[t.0].analog);
        let called = match &grant.dialled {
            Dialled::Internal(extension) => PartyNumber {
                digits: extension.clone(),
                kind: NumberKind::Unknown,
                presentation: Presentation::Allowed,
            },
            Dialled::External(number) => international(number),
        };
        let max_duration = if analog {
            config.callback.analog_max_duration
        } else {
            config.callback.max_duration
        };
        Ok(Transit {
            called,
            presented: international(&grant.presented),
            trunks: grant.trunks,
            max_duration,
        })
    }
}

impl Handler<SessionPhase> for Coordinator {
    type Result = ();

    fn handle(&mut self, msg: SessionPhase, _: &mut Context<Self>) {
        let active = &metrics().sessions_active;
        active.with_label_values(&[msg.from.as_str()]).dec();
        if msg.to != Phase::Done {
            active.with_label_values(&[msg.to.as_str()]).inc();
        }
        let Some(session) = self.sessions.get_mut(&msg.session) else {
            return;
        };
        session.phase = msg.to;
        if !matches!(msg.to, Phase::Ringing | Phase::Waiting)
            && self.waiting.get(&session.mobile) == Some(&msg.session)
        {
            self.waiting.remove(&session.mobile);
        }
    }
}

impl Handler<SessionDone> for Coordinator {
    type Result = ();

    fn handle(&mut self, msg: SessionDone, _: &mut Context<Self>) {
        let m = metrics();
        m.sessions
            .with_label_values(&[msg.cdr.outcome.as_str()])
            .inc();
        observe_record(&msg.record, &msg.cdr, &self.env);
        if let Some(session) = self.sessions.remove(&msg.session) {
            if self.waiting.get(&session.mobile) == Some(&msg.session) {
                self.waiting.remove(&session.mobile);
            }
            let extension = msg.cdr.extension.clone();
            let today = self.usage(&extension);
            if session.holds_slot {
                today.usage.bridged_now = today.usage.bridged_now.saturating_sub(1);
            }
            today.usage.cost_today += msg.cdr.charged;
            today.usage.minutes_today += msg.cdr.bridged_seconds / 60.0;
        }
        // Durable when the writer acknowledges; the coordinator does not wait for it.
        drop(self.cdr.write(msg.cdr));
    }
}

/// Feeds the histograms and money counters from a finished session.
fn observe_record(record: &SessionRecord, cdr: &Cdr, env: &Env) {
    let m = metrics();
    if let Some(rejected) = record.rejected_at {
        m.reject_seconds
            .observe((rejected - record.triggered_at).as_secs_f64());
    }
    if let (Some(ended), Some(started)) = (record.trigger_ended_at, record.callback_started_at) {
        m.callback_delay_seconds
            .observe(started.saturating_duration_since(ended).as_secs_f64());
    }
    let trunk_name = |t: Option<drivers::trunk::TrunkId>| {
        t.and_then(|t| env.config.trunks.get(t.0))
            .map_or("?".to_owned(), |t| t.name.clone())
    };
    if let (Some(started), Some(answered)) =
        (record.callback_started_at, record.callback_answered_at)
    {
        m.callback_answer_seconds
            .with_label_values(&[&trunk_name(record.callback_trunk)])
            .observe(answered.saturating_duration_since(started).as_secs_f64());
    }
    if let (Some(started), Some(answered)) = (record.transit_started_at, record.transit_answered_at)
    {
        m.transit_setup_seconds
            .with_label_values(&[&trunk_name(record.transit_trunk)])
            .observe(answered.saturating_duration_since(started).as_secs_f64());
    }
    if record.transit_answered_at.is_some() {
        m.call_duration_seconds
            .observe(record.bridged.as_secs_f64());
    }
    if cdr.callback_cost > 0.0 {
        m.cost
            .with_label_values(&[&trunk_name(record.callback_trunk), &cdr.currency])
            .inc_by(cdr.callback_cost);
    }
    if cdr.transit_cost > 0.0 {
        m.cost
            .with_label_values(&[&trunk_name(record.transit_trunk), &cdr.currency])
            .inc_by(cdr.transit_cost);
    }
    if cdr.saving > 0.0 {
        m.savings
            .with_label_values(&[&cdr.currency])
            .inc_by(cdr.saving);
    }
}

impl Handler<Drain> for Coordinator {
    type Result = ();

    fn handle(&mut self, msg: Drain, ctx: &mut Context<Self>) {
        self.draining = true;
        tracing::info!(sessions = self.sessions.len(), grace = ?msg.grace, "draining");
        ctx.run_later(msg.grace, |act, _| {
            for session in act.sessions.values() {
                session.addr.do_send(Abort);
            }
        });
    }
}

impl Handler<ActiveSessions> for Coordinator {
    type Result = usize;

    fn handle(&mut self, _: ActiveSessions, _: &mut Context<Self>) -> usize {
        self.sessions.len()
    }
}

impl Handler<Reload> for Coordinator {
    type Result = Result<(), &'static str>;

    /// Sessions in progress keep the configuration they started with (their own `Env`).
    fn handle(&mut self, msg: Reload, _: &mut Context<Self>) -> Self::Result {
        if msg.0.trunks != self.env.config.trunks {
            return Err("the trunks changed: their sockets are bound at start, restart the node");
        }
        self.env.config = msg.0;
        Ok(())
    }
}
