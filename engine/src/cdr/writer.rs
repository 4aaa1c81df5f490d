//! The CDR writer: one thread that owns the SQLite connection, so the async runtime never
//! blocks on a disk sync. Sessions hand it finished CDRs; each is durable when its
//! acknowledgement arrives. The thread ends when the last [`CdrWriter`] is dropped, after
//! writing everything queued.

use std::path::Path;
use std::sync::mpsc;
use std::thread::JoinHandle;

use tokio::sync::oneshot;

use super::Cdr;
use super::store::{CdrError, CdrStore, ExtensionSummary, Filter};

type Job = (Cdr, Option<oneshot::Sender<Result<(), String>>>);

/// A handle on the writer thread.
#[derive(Debug, Clone)]
pub struct CdrWriter {
    jobs: mpsc::Sender<Job>,
}

impl CdrWriter {
    /// Opens the database (creating it if missing) and starts the thread. Also returns what
    /// each extension has spent since `since`, for the daily caps after a restart.
    pub fn start(
        path: &Path,
        since: i64,
    ) -> Result<(CdrWriter, Vec<ExtensionSummary>, JoinHandle<()>), CdrError> {
        let store = CdrStore::open(path)?;
        let spent = store.summary(&Filter {
            extension: None,
            since: Some(since),
        })?;
        let (jobs, queue) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("cdr-writer".into())
            .spawn(move || {
                for (cdr, ack) in queue {
                    let result = store.insert(&cdr).map_err(|e| e.to_string());
                    match &result {
                        Ok(()) => tracing::debug!(session = %cdr.session_id, "CDR written"),
                        Err(error) => {
                            tracing::error!(session = %cdr.session_id, %error, "CDR not written")
                        }
                    }
                    if let Some(ack) = ack {
                        let _ = ack.send(result);
                    }
                }
            })
            .map_err(CdrError::Directory)?;
        Ok((CdrWriter { jobs }, spent, thread))
    }

    /// Queues a CDR; the answer says when it is on disk.
    pub fn write(&self, cdr: Cdr) -> oneshot::Receiver<Result<(), String>> {
        let (ack, done) = oneshot::channel();
        if let Err(mpsc::SendError((_, Some(ack)))) = self.jobs.send((cdr, Some(ack))) {
            let _ = ack.send(Err("the CDR writer has stopped".into()));
        }
        done
    }
}
