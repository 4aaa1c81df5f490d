//! Message types of DSS1 basic call control (EN 300 403-1 §4.4, table 4-2).
//!
//! ```text
//!      8     7     6     5     4     3     2     1
//!   +-----+-----------------------------------------+
//!   |  0  |            message type                 |  octet 1
//!   +-----+-----------------------------------------+
//! ```

use serde::Serialize;

macro_rules! message_types {
    ($($variant:ident = $code:literal, $name:literal;)*) => {
        /// A basic-call message type.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum MessageType {
            $($variant,)*
        }

        impl MessageType {
            /// Every message type callbackd implements.
            pub const ALL: &[MessageType] = &[$(MessageType::$variant,)*];

            /// The type for an octet; `None` for types not implemented.
            pub const fn from_code(code: u8) -> Option<MessageType> {
                match code {
                    $($code => Some(MessageType::$variant),)*
                    _ => None,
                }
            }

            /// The octet on the wire.
            pub const fn code(self) -> u8 {
                match self {
                    $(MessageType::$variant => $code,)*
                }
            }

            /// The name as the standard writes it.
            pub const fn name(self) -> &'static str {
                match self {
                    $(MessageType::$variant => $name,)*
                }
            }
        }
    };
}

message_types! {
    Alerting = 0x01, "ALERTING";
    CallProceeding = 0x02, "CALL PROCEEDING";
    Progress = 0x03, "PROGRESS";
    Setup = 0x05, "SETUP";
    Connect = 0x07, "CONNECT";
    SetupAcknowledge = 0x0d, "SETUP ACKNOWLEDGE";
    ConnectAcknowledge = 0x0f, "CONNECT ACKNOWLEDGE";
    Disconnect = 0x45, "DISCONNECT";
    Restart = 0x46, "RESTART";
    Release = 0x4d, "RELEASE";
    RestartAcknowledge = 0x4e, "RESTART ACKNOWLEDGE";
    ReleaseComplete = 0x5a, "RELEASE COMPLETE";
    Notify = 0x6e, "NOTIFY";
    StatusEnquiry = 0x75, "STATUS ENQUIRY";
    Information = 0x7b, "INFORMATION";
    Status = 0x7d, "STATUS";
}

#[cfg(test)]
mod tests {
    use super::*;

    /// EN 300 403-1 table 4-2 (values as Wireshark's packet-q931 lists them).
    #[test]
    fn codes() {
        let table = [
            (0x01, MessageType::Alerting),
            (0x02, MessageType::CallProceeding),
            (0x05, MessageType::Setup),
            (0x0d, MessageType::SetupAcknowledge),
            (0x45, MessageType::Disconnect),
            (0x5a, MessageType::ReleaseComplete),
            (0x7d, MessageType::Status),
        ];
        for (code, mt) in table {
            assert_eq!(MessageType::from_code(code), Some(mt));
            assert_eq!(mt.code(), code);
        }
        assert_eq!(MessageType::from_code(0x60), None);
        for mt in MessageType::ALL {
            assert_eq!(MessageType::from_code(mt.code()), Some(*mt));
        }
    }
}
