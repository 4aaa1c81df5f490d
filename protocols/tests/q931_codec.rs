//! Property tests of the Q.931 codec: structured messages round-trip, and any octets that
//! decode re-encode to themselves.

use proptest::prelude::*;
use protocols::q931::ie::{
    BearerCapability, CalledPartyNumber, CallingPartyNumber, Cause, ChannelIdentification,
    CodingStandard, DateTime, Display, InformationElement, InterfaceType, KeypadFacility, Location,
    NumberType, NumberingPlan, PresentationIndicator, ProgressIndicator, Screening, Shift,
    UnknownIe,
};
use protocols::q931::{CallReference, CallReferenceSize, Message, MessageType};

fn call_reference() -> impl Strategy<Value = CallReference> {
    prop_oneof![
        Just(CallReference::DUMMY),
        (0u16..0x80, any::<bool>()).prop_map(|(v, f)| CallReference::new(
            CallReferenceSize::One,
            v,
            f
        )
        .unwrap()),
        (0u16..0x8000, any::<bool>()).prop_map(|(v, f)| CallReference::new(
            CallReferenceSize::Two,
            v,
            f
        )
        .unwrap()),
    ]
}

fn ia5(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(0x20u8..0x7f, 0..max)
        .prop_map(|v| v.into_iter().map(char::from).collect())
}

fn cause() -> impl Strategy<Value = Cause> {
    (
        0u8..16,
        proptest::option::of(0u8..0x80),
        0u8..0x80,
        proptest::collection::vec(any::<u8>(), 0..4),
    )
        .prop_map(|(location, recommendation, value, diagnostics)| Cause {
            coding_standard: CodingStandard::Itu,
            location: Location::from_code(location),
            recommendation,
            value,
            diagnostics,
        })
}

fn channel() -> impl Strategy<Value = ChannelIdentification> {
    prop_oneof![
        (0u8..4, any::<bool>()).prop_map(|(c, e)| ChannelIdentification::basic(c, e)),
        (1u8..32, any::<bool>()).prop_map(|(c, e)| ChannelIdentification::primary(c, e)),
        Just(ChannelIdentification::any(InterfaceType::Primary)),
    ]
}

fn calling() -> impl Strategy<Value = CallingPartyNumber> {
    (
        0u8..8,
        0u8..16,
        proptest::option::of((0u8..4, 0u8..4)),
        "[0-9]{0,15}",
    )
        .prop_map(|(t, p, presentation, digits)| CallingPartyNumber {
            number_type: NumberType::from_code(t),
            plan: NumberingPlan::from_code(p),
            presentation: presentation
                .map(|(p, s)| (PresentationIndicator::from_code(p), Screening::from_code(s))),
            digits,
        })
}

fn ie() -> impl Strategy<Value = InformationElement> {
    use InformationElement as E;
    prop_oneof![
        Just(E::SendingComplete),
        Just(E::BearerCapability(BearerCapability::speech_a_law())),
        cause().prop_map(E::Cause),
        channel().prop_map(E::ChannelIdentification),
        (0u8..16, 0u8..0x80).prop_map(|(l, d)| E::ProgressIndicator(ProgressIndicator::new(
            Location::from_code(l),
            d
        ))),
        ia5(30)
            .prop_filter("non-empty", |s| !s.is_empty())
            .prop_map(|t| E::Display(Display::new(t))),
        "[0-9*#]{1,5}".prop_map(|t| E::KeypadFacility(KeypadFacility::new(t))),
        calling().prop_map(E::CallingPartyNumber),
        "[0-9]{0,20}".prop_map(|d| E::CalledPartyNumber(CalledPartyNumber::digits(d))),
        (any::<u8>(), 1u8..13, 1u8..32, proptest::option::of(0u8..24)).prop_map(
            |(year, month, day, hour)| E::DateTime(DateTime {
                year,
                month,
                day,
                hour,
                minute: hour.map(|_| 30),
                second: None,
            })
        ),
        (
            proptest::sample::select(&[0x1cu8, 0x40, 0x6d, 0x71, 0x7c, 0x7d, 0x7e][..]),
            proptest::collection::vec(any::<u8>(), 0..8),
        )
            .prop_map(|(id, c)| {
                E::Unknown(UnknownIe {
                    codeset: 0,
                    identifier: id,
                    contents: Some(c),
                })
            }),
    ]
}

/// Elements behind a locking shift to codeset 6 are kept verbatim.
fn codeset6_tail() -> impl Strategy<Value = Vec<InformationElement>> {
    proptest::collection::vec(
        (0u8..0x80, proptest::collection::vec(any::<u8>(), 0..6)),
        0..3,
    )
    .prop_map(|v| {
        let mut ies = Vec::new();
        if !v.is_empty() {
            ies.push(InformationElement::Shift(Shift {
                locking: true,
                codeset: 6,
            }));
        }
        ies.extend(v.into_iter().map(|(identifier, contents)| {
            InformationElement::Unknown(UnknownIe {
                codeset: 6,
                identifier,
                contents: Some(contents),
            })
        }));
        ies
    })
}

fn message() -> impl Strategy<Value = Message> {
    (
        call_reference(),
        proptest::sample::select(MessageType::ALL),
        proptest::collection::vec(ie(), 0..8),
        codeset6_tail(),
    )
        .prop_map(|(cr, message_type, mut ies, tail)| {
            // The mandatory elements of the message types that have some.
            ies.insert(
                0,
                InformationElement::BearerCapability(BearerCapability::speech_a_law()),
            );
            ies.push(InformationElement::Cause(Cause::new(
                Location::User,
                protocols::call::Cause::NORMAL_CLEARING,
            )));
            ies.push(InformationElement::CallState(
                protocols::q931::ie::CallState::new(10),
            ));
            ies.push(InformationElement::ProgressIndicator(
                ProgressIndicator::new(Location::User, 8),
            ));
            ies.extend(tail);
            let mut message = Message::new(cr, message_type);
            message.ies = ies;
            message
        })
}

proptest! {
    #[test]
    fn structured_messages_round_trip(message in message()) {
        let restart_like = matches!(
            message.message_type,
            MessageType::Restart | MessageType::RestartAcknowledge | MessageType::Notify
        );
        let bytes = message.encode().unwrap();
        match Message::decode(&bytes) {
            Ok(decoded) => prop_assert_eq!(decoded, message),
            // RESTART, RESTART ACK and NOTIFY lack their mandatory element here.
            Err(error) => prop_assert!(restart_like, "{error}"),
        }
    }

    #[test]
    fn decodable_octets_re_encode_identically(tail in proptest::collection::vec(any::<u8>(), 0..40), mt in proptest::sample::select(MessageType::ALL)) {
        let mut bytes = vec![0x08, 0x01, 0x07, mt.code()];
        bytes.extend(tail);
        if let Ok(message) = Message::decode(&bytes) {
            prop_assert_eq!(message.encode().unwrap(), bytes);
        }
    }

    #[test]
    fn arbitrary_octets_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(message) = Message::decode(&bytes) {
            prop_assert_eq!(message.encode().unwrap(), bytes);
        }
    }
}
