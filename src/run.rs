//! `callbackd run --config FILE`: the node.
//!
//! Wiring, in order: configuration → tracing (already set up by `main`) → the metrics
//! endpoint → the CDR writer → the media clock → the trunk actors → the coordinator →
//! signals. SIGINT/SIGTERM stops taking triggers, lets sessions finish within the grace
//! period, then exits. SIGHUP re-reads the configuration: a valid file is used by new
//! sessions while sessions in progress keep theirs; a file that fails validation, or that
//! changes the trunks (their sockets are bound at start), is refused and the running
//! configuration stays — the log says why.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;
use anyhow::{Context as _, bail};
use drivers::media::{MediaClock, MediaCounters};
use drivers::sip::{METHODS, SipCounters};
use drivers::trunk::{TrunkHandle, TrunkId, TrunkStatus};
use engine::cdr::writer::CdrWriter;
use engine::coordinator::{ActiveSessions, Coordinator, Drain, Reload};
use engine::env::{Env, MEDIA_TIMEOUT};
use engine::tones::ToneBank;
use tokio::signal::unix::{SignalKind, signal};

use crate::http::{self, Readiness};
use crate::trunks;

/// How long bridged calls may go on after SIGTERM.
const GRACE: Duration = Duration::from_secs(30);

pub fn run(path: &Path) -> anyhow::Result<()> {
    let config = config::Config::from_file(path).map_err(|e| anyhow::anyhow!("{e}"))?;
    engine::metrics::metrics().prime(&config);
    let config = Arc::new(config);
    let runtime = || {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime")
    };
    actix_rt::System::with_tokio_rt(runtime).block_on(node(config, path.to_owned()))
}

async fn node(config: Arc<config::Config>, path: PathBuf) -> anyhow::Result<()> {
    let readiness = Readiness::new(config.trunks.len());
    let listen = config.metrics.listen;
    let bound = http::serve(listen, readiness.clone())
        .await
        .with_context(|| format!("metrics endpoint on {listen}"))?;
    tracing::info!(%bound, "metrics endpoint");

    let since_midnight = {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?;
        (now.as_secs() / 86_400 * 86_400 * 1000) as i64
    };
    let (writer, spent, _writer_thread) = CdrWriter::start(&config.cdr.path, since_midnight)
        .with_context(|| format!("CDR database {}", config.cdr.path.display()))?;
    let spent = spent
        .into_iter()
        .map(|s| (s.extension, s.cost, s.minutes))
        .collect();

    let (clock, _ticker) = MediaClock::start();
    let counters = Arc::new(MediaCounters::default());
    let tones = Arc::new(ToneBank::new(engine::settings::tone_plan(&config)));

    // The coordinator needs the trunks and the trunks need the coordinator: start the
    // coordinator's context first, then the trunks with its address.
    let context = Context::<Coordinator>::new();
    let coordinator = context.address();
    let status = StatusRelay {
        coordinator: coordinator.clone(),
        readiness: readiness.clone(),
    }
    .start();
    let started = trunks::start(&config, &coordinator, status.recipient())
        .await
        .context("starting trunks")?;
    let sip_counters: Vec<(String, Arc<SipCounters>)> = started
        .iter()
        .filter_map(|t| t.sip.clone().map(|c| (t.handle.name.clone(), c)))
        .collect();
    let handles: Vec<TrunkHandle> = started.into_iter().map(|t| t.handle).collect();
    if handles.len() != config.trunks.len() {
        bail!(
            "{} trunks configured, {} started",
            config.trunks.len(),
            handles.len()
        );
    }
    let env = Env {
        config: config.clone(),
        trunks: Arc::new(handles),
        tones,
        clock,
        counters: counters.clone(),
        media_timeout: MEDIA_TIMEOUT,
    };
    context.run(Coordinator::new(env, writer, spent));
    tokio::spawn(count_media(counters, sip_counters));
    tracing::info!(node = %config.node.name, trunks = config.trunks.len(), "callbackd running");

    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut hangup = signal(SignalKind::hangup())?;
    loop {
        tokio::select! {
            _ = terminate.recv() => break,
            _ = interrupt.recv() => break,
            _ = hangup.recv() => reload(&path, &coordinator).await,
        }
    }
    tracing::info!("stopping: no new triggers; sessions get {GRACE:?} to finish");
    coordinator.do_send(Drain { grace: GRACE });
    let deadline = tokio::time::Instant::now() + GRACE + Duration::from_secs(2);
    while tokio::time::Instant::now() < deadline {
        if coordinator.send(ActiveSessions).await.unwrap_or(0) == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tracing::info!("stopped");
    System::current().stop();
    Ok(())
}

/// SIGHUP: validate the file again and hand it to the coordinator.
async fn reload(path: &Path, coordinator: &Addr<Coordinator>) {
    let config = match config::Config::from_file(path) {
        Ok(config) => config,
        Err(error) => {
            tracing::error!(path = %path.display(), %error, "reload refused; the running configuration stays");
            return;
        }
    };
    match coordinator.send(Reload(Arc::new(config))).await {
        Ok(Ok(())) => tracing::info!(path = %path.display(), "configuration reloaded"),
        Ok(Err(why)) => {
            tracing::error!(path = %path.display(), why, "reload refused; the running configuration stays")
        }
        Err(_) => {}
    }
}

/// Copies the media path's and the SIP trunks' counts into the metrics once a second.
async fn count_media(rtp: Arc<MediaCounters>, sip: Vec<(String, Arc<SipCounters>)>) {
    use std::sync::atomic::Ordering;
    let m = engine::metrics::metrics();
    let mut last: std::collections::HashMap<(String, &str, &str), u64> = Default::default();
    let mut bump = |key: (String, &'static str, &'static str), now: u64| {
        let before = last.insert(key.clone(), now).unwrap_or(0);
        now.saturating_sub(before)
    };
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tick.tick().await;
        for (direction, counter) in [("in", &rtp.packets_in), ("out", &rtp.packets_out)] {
            let delta = bump(
                ("rtp".into(), direction, ""),
                counter.load(Ordering::Relaxed),
            );
            m.rtp_packets.with_label_values(&[direction]).inc_by(delta);
        }
        let bad = bump(
            ("rtp".into(), "malformed", ""),
            rtp.malformed.load(Ordering::Relaxed),
        );
        m.parse_errors.with_label_values(&["rtp"]).inc_by(bad);
        for (trunk, counters) in &sip {
            for (d, direction) in ["in", "out"].into_iter().enumerate() {
                for (i, method) in METHODS.iter().enumerate() {
                    let now = counters.messages[d][i].load(Ordering::Relaxed);
                    let delta = bump((trunk.clone(), direction, method), now);
                    if delta > 0 || now == 0 {
                        m.sip_messages
                            .with_label_values(&[trunk, direction, method])
                            .inc_by(delta);
                    }
                }
            }
            let bad = bump(
                (trunk.clone(), "malformed", ""),
                counters.malformed.load(Ordering::Relaxed),
            );
            m.parse_errors.with_label_values(&["sip"]).inc_by(bad);
        }
    }
}

/// Passes trunk status to the coordinator and marks the trunk as reported for `/readyz`.
struct StatusRelay {
    coordinator: Addr<Coordinator>,
    readiness: Arc<Readiness>,
}

impl Actor for StatusRelay {
    type Context = Context<Self>;
}

impl Handler<TrunkStatus> for StatusRelay {
    type Result = ();

    fn handle(&mut self, msg: TrunkStatus, _: &mut Context<Self>) {
        let TrunkId(index) = msg.trunk;
        self.readiness.reported(index);
        self.coordinator.do_send(msg);
    }
}
