//! AT command layer (3GPP TS 27.007, ITU-T V.250) for GSM modems, sans-IO.
//!
//! * [`framer`]: bytes from the serial port → lines (any split, echo dropped, prompt,
//!   length limit).
//! * [`result`]: a line → a typed [`Response`] (one file per result kind), and
//!   [`classify`] to tell final results, information responses and unsolicited results
//!   apart given the command in flight.
//! * [`command`]: typed command lines and their text.
//! * [`profile`]: what differs between generic, SIMCom, Quectel and Huawei modules.

pub mod command;
pub mod framer;
pub mod machine;
pub mod profile;
pub mod result;

pub use command::{Command, CommandError};
pub use framer::{Frame, FrameError, LineFramer};
pub use machine::{InputError, Modem, ModemConfig, ModemEvent, Rejected};

pub use profile::{Progress, Vendor};
pub use result::{Class, ParseError, Response, classify};
