//! The AT line framer and result parser on arbitrary bytes.
//!
//! * framing never panics, holds at most one line's worth of bytes, and gives the same
//!   frames however the input is split;
//! * a parsed result printed and parsed again is equal; likewise a parsed command line.

#![no_main]

use libfuzzer_sys::fuzz_target;
use protocols::at::{Command, Frame, FrameError, LineFramer, Response};

const MAX_LINE: usize = 64;

fn drain(framer: &mut LineFramer, out: &mut Vec<Result<Frame, FrameError>>) {
    loop {
        match framer.next_frame() {
            Ok(Some(frame)) => out.push(Ok(frame)),
            Ok(None) => break,
            Err(err) => out.push(Err(err)),
        }
    }
    assert!(framer.pending() <= MAX_LINE);
}

fuzz_target!(|data: &[u8]| {
    let Some((&chunk, bytes)) = data.split_first() else {
        return;
    };
    let mut whole = Vec::new();
    let mut framer = LineFramer::new(MAX_LINE);
    framer.push(bytes);
    drain(&mut framer, &mut whole);

    let mut split = Vec::new();
    let mut framer = LineFramer::new(MAX_LINE);
    for piece in bytes.chunks(usize::from(chunk).max(1)) {
        framer.push(piece);
        drain(&mut framer, &mut split);
    }
    assert_eq!(whole, split);

    for frame in whole {
        let Ok(Frame::Line(line)) = frame else {
            continue;
        };
        if let Ok(response) = Response::parse(&line) {
            let printed = response.to_string();
            assert_eq!(Response::parse(&printed), Ok(response), "{line:?} -> {printed:?}");
        }
        if let Ok(command) = Command::parse(&line) {
            let printed = command.to_string();
            assert_eq!(Command::parse(&printed), Ok(command), "{line:?} -> {printed:?}");
        }
    }
});
