//! The CDR database: SQLite in WAL mode with `synchronous = FULL`, so a CDR whose insert
//! has returned is on disk and survives a crash of the node or the machine.
//!
//! One table, `cdr`, one row per session; `schema_version` in SQLite's `user_version`
//! lets later versions migrate. Writes are blocking: the engine runs the store on a
//! thread of its own, never on the async runtime.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use thiserror::Error;

use super::{Cdr, UnixMs};

/// The schema this code writes.
const SCHEMA_VERSION: i64 = 1;

const CREATE: &str = "
CREATE TABLE IF NOT EXISTS cdr (
    session_id TEXT PRIMARY KEY,
    extension TEXT NOT NULL,
    mobile TEXT NOT NULL,
    trigger_number TEXT NOT NULL,
    dialled TEXT,
    callback_trunk TEXT,
    transit_trunk TEXT,
    triggered_at INTEGER NOT NULL,
    rejected_at INTEGER,
    callback_started_at INTEGER,
    callback_answered_at INTEGER,
    transit_answered_at INTEGER,
    ended_at INTEGER NOT NULL,
    callback_seconds REAL NOT NULL,
    bridged_seconds REAL NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL,
    cause INTEGER,
    callback_cost REAL NOT NULL,
    transit_cost REAL NOT NULL,
    charged REAL NOT NULL,
    saving REAL NOT NULL,
    currency TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS cdr_extension_time ON cdr (extension, triggered_at);
CREATE INDEX IF NOT EXISTS cdr_time ON cdr (triggered_at);
";

const COLUMNS: &str = "session_id, extension, mobile, trigger_number, dialled, callback_trunk, \
    transit_trunk, triggered_at, rejected_at, callback_started_at, callback_answered_at, \
    transit_answered_at, ended_at, callback_seconds, bridged_seconds, outcome, reason, cause, \
    callback_cost, transit_cost, charged, saving, currency";

/// What can go wrong with the CDR database.
#[derive(Debug, Error)]
pub enum CdrError {
    #[error("CDR database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot create the CDR directory: {0}")]
    Directory(#[from] std::io::Error),
    #[error("CDR database has schema version {found}, this node writes {SCHEMA_VERSION}")]
    Schema { found: i64 },
}

/// Which CDRs to read.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub extension: Option<String>,
    /// Sessions triggered at or after this time.
    pub since: Option<UnixMs>,
}

/// The billing report of one extension (`callbackd cdr --summary`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtensionSummary {
    pub extension: String,
    pub currency: String,
    pub calls: i64,
    pub bridged_calls: i64,
    pub minutes: f64,
    pub cost: f64,
    pub savings: f64,
}

/// An open CDR database.
pub struct CdrStore {
    conn: Connection,
}

impl CdrStore {
    /// Opens (creating if missing) the database at `path`.
    pub fn open(path: &Path) -> Result<CdrStore, CdrError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        match found {
            0 => {
                conn.execute_batch(CREATE)?;
                conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
            }
            SCHEMA_VERSION => {}
            found => return Err(CdrError::Schema { found }),
        }
        Ok(CdrStore { conn })
    }

    /// Opens an existing database for reading (the `cdr` command): never creates one.
    pub fn open_existing(path: &Path) -> Result<CdrStore, CdrError> {
        if !path.exists() {
            return Err(CdrError::Directory(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{} does not exist", path.display()),
            )));
        }
        CdrStore::open(path)
    }

    /// Writes one CDR; when this returns `Ok`, the row is durable.
    pub fn insert(&self, cdr: &Cdr) -> Result<(), CdrError> {
        let sql = format!(
            "INSERT OR REPLACE INTO cdr ({COLUMNS}) VALUES ({})",
            ["?"; 23].join(", ")
        );
        self.conn.execute(
            &sql,
            params![
                cdr.session_id,
                cdr.extension,
                cdr.mobile,
                cdr.trigger,
                cdr.dialled,
                cdr.callback_trunk,
                cdr.transit_trunk,
                cdr.triggered_at,
                cdr.rejected_at,
                cdr.callback_started_at,
                cdr.callback_answered_at,
                cdr.transit_answered_at,
                cdr.ended_at,
                cdr.callback_seconds,
                cdr.bridged_seconds,
                cdr.outcome,
                cdr.reason,
                cdr.cause,
                cdr.callback_cost,
                cdr.transit_cost,
                cdr.charged,
                cdr.saving,
                cdr.currency,
            ],
        )?;
        Ok(())
    }

    /// The CDRs matching `filter`, oldest first.
    pub fn list(&self, filter: &Filter) -> Result<Vec<Cdr>, CdrError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM cdr WHERE (?1 IS NULL OR extension = ?1) \
             AND (?2 IS NULL OR triggered_at >= ?2) ORDER BY triggered_at, session_id"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params![filter.extension, filter.since], row_to_cdr)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Calls, minutes, cost and savings per extension (and currency).
    pub fn summary(&self, filter: &Filter) -> Result<Vec<ExtensionSummary>, CdrError> {
        let mut stmt = self.conn.prepare(
            "SELECT extension, currency, COUNT(*), SUM(outcome = 'bridged'), \
             SUM(bridged_seconds) / 60.0, SUM(charged), SUM(saving) FROM cdr \
             WHERE (?1 IS NULL OR extension = ?1) AND (?2 IS NULL OR triggered_at >= ?2) \
             GROUP BY extension, currency ORDER BY extension, currency",
        )?;
        let rows = stmt.query_map(params![filter.extension, filter.since], |r| {
            Ok(ExtensionSummary {
                extension: r.get(0)?,
                currency: r.get(1)?,
                calls: r.get(2)?,
                bridged_calls: r.get(3)?,
                minutes: round(r.get(4)?),
                cost: round(r.get(5)?),
                savings: round(r.get(6)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The CDR of one session.
    pub fn get(&self, session_id: &str) -> Result<Option<Cdr>, CdrError> {
        let sql = format!("SELECT {COLUMNS} FROM cdr WHERE session_id = ?1");
        Ok(self
            .conn
            .query_row(&sql, params![session_id], row_to_cdr)
            .optional()?)
    }
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn row_to_cdr(r: &Row<'_>) -> rusqlite::Result<Cdr> {
    Ok(Cdr {
        session_id: r.get(0)?,
        extension: r.get(1)?,
        mobile: r.get(2)?,
        trigger: r.get(3)?,
        dialled: r.get(4)?,
        callback_trunk: r.get(5)?,
        transit_trunk: r.get(6)?,
        triggered_at: r.get(7)?,
        rejected_at: r.get(8)?,
        callback_started_at: r.get(9)?,
        callback_answered_at: r.get(10)?,
        transit_answered_at: r.get(11)?,
        ended_at: r.get(12)?,
        callback_seconds: r.get(13)?,
        bridged_seconds: r.get(14)?,
        outcome: r.get(15)?,
        reason: r.get(16)?,
        cause: r.get(17)?,
        callback_cost: r.get(18)?,
        transit_cost: r.get(19)?,
        charged: r.get(20)?,
        saving: r.get(21)?,
        currency: r.get(22)?,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample(id: &str, extension: &str, at: UnixMs, bridged: f64) -> Cdr {
        Cdr {
            session_id: id.into(),
            extension: extension.into(),
            mobile: "+48601111222".into(),
            trigger: "+48225551000".into(),
            dialled: Some("101".into()),
            callback_trunk: Some("operator".into()),
            transit_trunk: Some("pbx".into()),
            triggered_at: at,
            rejected_at: Some(at + 6000),
            callback_started_at: Some(at + 11_000),
            callback_answered_at: Some(at + 13_000),
            transit_answered_at: (bridged > 0.0).then_some(at + 20_000),
            ended_at: at + 20_000 + (bridged * 1000.0) as i64,
            callback_seconds: 7.0 + bridged,
            bridged_seconds: bridged,
            outcome: if bridged > 0.0 {
                "bridged"
            } else {
                "no_digits"
            }
            .into(),
            reason: "user_hung_up".into(),
            cause: Some(16),
            callback_cost: 0.1,
            transit_cost: 0.2,
            charged: 0.3,
            saving: 1.5,
            currency: "PLN".into(),
        }
    }

    fn temp_db(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("callbackd-cdr-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir.join("nested").join("cdr.sqlite")
    }

    #[test]
    fn written_cdrs_are_read_back_after_reopening() {
        let path = temp_db("reopen");
        let first = sample("s1", "101", 1_000_000, 60.0);
        {
            let store = CdrStore::open(&path).unwrap();
            store.insert(&first).unwrap();
            // The store is dropped without any explicit flush.
        }
        let store = CdrStore::open(&path).unwrap();
        assert_eq!(store.get("s1").unwrap(), Some(first));
        let mode: String = store
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn filters_and_summary() {
        let path = temp_db("summary");
        let store = CdrStore::open(&path).unwrap();
        store.insert(&sample("a", "101", 1000, 60.0)).unwrap();
        store.insert(&sample("b", "101", 2000, 0.0)).unwrap();
        store.insert(&sample("c", "102", 3000, 30.0)).unwrap();
        let only_101 = Filter {
            extension: Some("101".into()),
            since: None,
        };
        assert_eq!(store.list(&only_101).unwrap().len(), 2);
        let since = Filter {
            extension: None,
            since: Some(2000),
        };
        let ids: Vec<_> = store
            .list(&since)
            .unwrap()
            .into_iter()
            .map(|c| c.session_id)
            .collect();
        assert_eq!(ids, vec!["b", "c"]);
        let summary = store.summary(&Filter::default()).unwrap();
        assert_eq!(summary.len(), 2);
        assert_eq!(
            summary[0],
            ExtensionSummary {
                extension: "101".into(),
                currency: "PLN".into(),
                calls: 2,
                bridged_calls: 1,
                minutes: 1.0,
                cost: 0.6,
                savings: 3.0,
            }
        );
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let path = temp_db("schema");
        {
            let store = CdrStore::open(&path).unwrap();
            store.conn.pragma_update(None, "user_version", 99).unwrap();
        }
        assert!(matches!(
            CdrStore::open(&path),
            Err(CdrError::Schema { found: 99 })
        ));
    }
}
