//! `callbackd`: the Callback switching node.
//!
//! Only this binary wires the crates together. The subcommands are those of the spec's
//! §4: `check` validates a configuration file, `decode` turns one protocol message into
//! JSON for inspection, `cdr` reports the call detail records.

mod cdr;
mod check;
mod decode;
mod http;
mod run;
mod trunks;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit status for invalid input (a bad configuration, a malformed message).
const EXIT_INVALID: u8 = 2;

#[derive(Debug, Parser)]
#[command(name = "callbackd", version, about = "Callback switching node")]
struct Cli {
    /// Log lines as text (default) or one JSON object per line. `RUST_LOG` sets the filter.
    #[arg(long, global = true, value_enum, default_value = "text")]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the node until SIGINT or SIGTERM.
    Run {
        /// The TOML configuration file.
        #[arg(long)]
        config: PathBuf,
    },
    /// Validate a configuration file: exit 0, or exit 2 with every error on stderr.
    Check {
        /// The TOML configuration file.
        #[arg(long)]
        config: PathBuf,
    },
    /// List call detail records, or the billing report per extension.
    Cdr(cdr::CdrArgs),
    /// Read one message on stdin and print it as JSON.
    Decode {
        /// What stdin holds.
        #[arg(value_enum)]
        protocol: decode::Protocol,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging(cli.log_format);
    match cli.command {
        Command::Run { config } => match run::run(&config) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                tracing::error!("{error:#}");
                eprintln!("callbackd run: {error:#}");
                ExitCode::from(EXIT_INVALID)
            }
        },
        Command::Check { config } => check::run(&config),
        Command::Decode { protocol } => decode::run(protocol),
        Command::Cdr(args) => cdr::run(&args),
    }
}

/// Logs go to stderr through `tracing`; `RUST_LOG` sets the filter (default `info`).
fn logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}
