//! `callbackd cdr`: list the CDRs, or the billing report per extension.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use engine::cdr::store::{CdrStore, ExtensionSummary, Filter};
use engine::cdr::{Cdr, time};

use crate::EXIT_INVALID;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for a terminal.
    Table,
    /// RFC 4180 CSV with a header line.
    Csv,
    /// One JSON object per line.
    Json,
}

/// The `cdr` subcommand's arguments.
#[derive(Debug, clap::Args)]
pub struct CdrArgs {
    /// The CDR database (`[cdr] path` of the node's configuration).
    #[arg(long)]
    db: std::path::PathBuf,
    /// Only this extension.
    #[arg(long)]
    extension: Option<String>,
    /// Only sessions triggered at or after this UTC date (`YYYY-MM-DD` or
    /// `YYYY-MM-DDTHH:MM:SS`).
    #[arg(long)]
    since: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// The billing report per extension (calls, minutes, cost, savings) instead of rows.
    #[arg(long)]
    summary: bool,
}

pub fn run(args: &CdrArgs) -> ExitCode {
    match report(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("callbackd cdr: {message}");
            ExitCode::from(EXIT_INVALID)
        }
    }
}

fn report(args: &CdrArgs) -> Result<(), String> {
    let since = match &args.since {
        Some(text) => Some(time::parse(text).ok_or_else(|| {
            format!("--since {text:?}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS (UTC)")
        })?),
        None => None,
    };
    let filter = Filter {
        extension: args.extension.clone(),
        since,
    };
    let store = open(&args.db)?;
    let mut out = std::io::stdout().lock();
    let written = if args.summary {
        let rows = store.summary(&filter).map_err(|e| e.to_string())?;
        write_summary(&mut out, &rows, args.format)
    } else {
        let rows = store.list(&filter).map_err(|e| e.to_string())?;
        write_cdrs(&mut out, &rows, args.format)
    };
    // A closed stdout (`| head`) is not the database's fault.
    let _ = written;
    Ok(())
}

fn open(path: &Path) -> Result<CdrStore, String> {
    CdrStore::open_existing(path).map_err(|e| format!("{}: {e}", path.display()))
}

const CDR_HEADER: [&str; 23] = [
    "session_id",
    "extension",
    "mobile",
    "trigger",
    "dialled",
    "callback_trunk",
    "transit_trunk",
    "triggered_at",
    "rejected_at",
    "callback_started_at",
    "callback_answered_at",
    "transit_answered_at",
    "ended_at",
    "callback_seconds",
    "bridged_seconds",
    "outcome",
    "reason",
    "cause",
    "callback_cost",
    "transit_cost",
    "charged",
    "saving",
    "currency",
];

fn cdr_fields(c: &Cdr) -> Vec<String> {
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let at = |t: Option<i64>| t.map(time::format).unwrap_or_default();
    vec![
        c.session_id.clone(),
        c.extension.clone(),
        c.mobile.clone(),
        c.trigger.clone(),
        opt(&c.dialled),
        opt(&c.callback_trunk),
        opt(&c.transit_trunk),
        time::format(c.triggered_at),
        at(c.rejected_at),
        at(c.callback_started_at),
        at(c.callback_answered_at),
        at(c.transit_answered_at),
        time::format(c.ended_at),
        format!("{:.3}", c.callback_seconds),
        format!("{:.3}", c.bridged_seconds),
        c.outcome.clone(),
        c.reason.clone(),
        c.cause.map(|c| c.to_string()).unwrap_or_default(),
        format!("{:.4}", c.callback_cost),
        format!("{:.4}", c.transit_cost),
        format!("{:.4}", c.charged),
        format!("{:.4}", c.saving),
        c.currency.clone(),
    ]
}

const SUMMARY_HEADER: [&str; 7] = [
    "extension",
    "currency",
    "calls",
    "bridged_calls",
    "minutes",
    "cost",
    "savings",
];

fn summary_fields(s: &ExtensionSummary) -> Vec<String> {
    vec![
        s.extension.clone(),
        s.currency.clone(),
        s.calls.to_string(),
        s.bridged_calls.to_string(),
        format!("{:.2}", s.minutes),
        format!("{:.4}", s.cost),
        format!("{:.4}", s.savings),
    ]
}

fn write_cdrs(out: &mut impl Write, rows: &[Cdr], format: Format) -> std::io::Result<()> {
    match format {
        Format::Json => json_lines(out, rows),
        _ => {
            let fields: Vec<Vec<String>> = rows.iter().map(cdr_fields).collect();
            text(out, &CDR_HEADER, &fields, format)
        }
    }
}

fn write_summary(
    out: &mut impl Write,
    rows: &[ExtensionSummary],
    format: Format,
) -> std::io::Result<()> {
    match format {
        Format::Json => json_lines(out, rows),
        _ => {
            let fields: Vec<Vec<String>> = rows.iter().map(summary_fields).collect();
            text(out, &SUMMARY_HEADER, &fields, format)
        }
    }
}

fn json_lines<T: serde::Serialize>(out: &mut impl Write, rows: &[T]) -> std::io::Result<()> {
    for row in rows {
        serde_json::to_writer(&mut *out, row)?;
        writeln!(out)?;
    }
    Ok(())
}

fn text(
    out: &mut impl Write,
    header: &[&str],
    rows: &[Vec<String>],
    format: Format,
) -> std::io::Result<()> {
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    match format {
        Format::Csv => {
            for row in std::iter::once(&header).chain(rows) {
                let line: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
                writeln!(out, "{}", line.join(","))?;
            }
        }
        _ => {
            let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
            for row in rows {
                for (w, f) in widths.iter_mut().zip(row) {
                    *w = (*w).max(f.len());
                }
            }
            for row in std::iter::once(&header).chain(rows) {
                let cells: Vec<String> = row
                    .iter()
                    .zip(&widths)
                    .map(|(f, w)| format!("{f:<w$}"))
                    .collect();
                writeln!(out, "{}", cells.join("  ").trim_end())?;
            }
        }
    }
    Ok(())
}

/// RFC 4180: quote fields holding a comma, quote or line break; double inner quotes.
fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}
