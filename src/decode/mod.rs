//! `callbackd decode sip|sdp|q931|at`: one message on stdin, JSON on stdout.
//!
//! Malformed input exits with status 2 and one line on stderr naming where the decoder
//! stopped (a byte offset, or a line for line-oriented input) and what it expected.

mod at;
mod q931;
mod sdp;
mod sip;

use std::fmt;
use std::io::{Read, Write};
use std::process::ExitCode;

use crate::EXIT_INVALID;

/// The kinds of input `decode` understands.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Protocol {
    /// One SIP message (text).
    Sip,
    /// One SDP session description (text).
    Sdp,
    /// One Q.931 message as hex digits; whitespace is ignored.
    Q931,
    /// A modem transcript: `> ` before what the host sent, `< ` or nothing before what
    /// the modem sent.
    At,
}

/// Where in the input decoding stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A zero-based byte offset into the input.
    Byte(usize),
    /// A one-based line number.
    Line(usize),
}

/// Why the input could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeFailure {
    pub location: Location,
    pub reason: String,
}

impl fmt::Display for DecodeFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            Location::Byte(offset) => write!(f, "at byte {offset}: {}", self.reason),
            Location::Line(line) => write!(f, "at line {line}: {}", self.reason),
        }
    }
}

/// Runs the subcommand on stdin and stdout.
pub fn run(protocol: Protocol) -> ExitCode {
    let mut input = Vec::new();
    if let Err(err) = std::io::stdin().read_to_end(&mut input) {
        eprintln!("callbackd decode: cannot read stdin: {err}");
        return ExitCode::from(EXIT_INVALID);
    }
    match decode(protocol, &input) {
        Ok(json) => {
            let mut out = std::io::stdout().lock();
            // A closed stdout (e.g. `| head`) is not an error worth reporting.
            let _ = serde_json::to_writer_pretty(&mut out, &json);
            let _ = writeln!(out);
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("callbackd decode {}: {failure}", name(protocol));
            ExitCode::from(EXIT_INVALID)
        }
    }
}

/// Decodes `input` as `protocol` into its JSON form.
pub fn decode(protocol: Protocol, input: &[u8]) -> Result<serde_json::Value, DecodeFailure> {
    match protocol {
        Protocol::Sip => sip::decode(input),
        Protocol::Sdp => sdp::decode(input),
        Protocol::Q931 => q931::decode(input),
        Protocol::At => at::decode(input),
    }
}

fn name(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Sip => "sip",
        Protocol::Sdp => "sdp",
        Protocol::Q931 => "q931",
        Protocol::At => "at",
    }
}
