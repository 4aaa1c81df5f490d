//! `callbackd`: the Callback switching node.
//!
//! Only this binary wires the crates together. The subcommands are those of the spec's
//! §4: `check` validates a configuration file, `decode` turns one protocol message into
//! JSON for inspection, `cdr` reports the call detail records.

mod cdr;
mod check;
mod decode;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit status for invalid input (a bad configuration, a malformed message).
const EXIT_INVALID: u8 = 2;

#[derive(Debug, Parser)]
#[command(name = "callbackd", version, about = "Callback switching node")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
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
    match cli.command {
        Command::Check { config } => check::run(&config),
        Command::Decode { protocol } => decode::run(protocol),
        Command::Cdr(args) => cdr::run(&args),
    }
}
