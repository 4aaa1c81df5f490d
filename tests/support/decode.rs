//! Running `callbackd decode <protocol>` as a user does: input on stdin, the output back.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `callbackd decode protocol` with `input` on stdin.
pub fn decode(protocol: &str, input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_callbackd"))
        .args(["decode", protocol])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("callbackd runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}
