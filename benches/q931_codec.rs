//! Q.931 codec throughput: decoding and encoding a SETUP with the elements a typical
//! call carries (sending complete, bearer capability, channel identification, calling
//! and called party numbers, display).
//!
//! `cargo bench --bench q931_codec -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use protocols::q931::Message;

/// SETUP, call reference 5: sending complete, A-law speech, B1 exclusive, calling
/// +48225551000 (presentation allowed, network provided), display "Jan Kowalski",
/// called 601111222 (national).
fn setup() -> Vec<u8> {
    [
        &[0x08, 0x01, 0x05, 0x05, 0xa1][..],
        &[0x04, 0x03, 0x80, 0x90, 0xa3],
        &[0x18, 0x01, 0x89],
        b"\x28\x0cJan Kowalski",
        b"\x6c\x0d\x11\x8348225551000",
        b"\x70\x0a\xa1601111222",
    ]
    .concat()
}

fn codec(c: &mut Criterion) {
    let setup = setup();
    let message = Message::decode(&setup).expect("the SETUP decodes");
    assert_eq!(message.encode().unwrap(), setup);
    let mut group = c.benchmark_group("q931_setup");
    group.throughput(Throughput::Bytes(setup.len() as u64));
    group.bench_function("decode", |b| {
        b.iter(|| Message::decode(black_box(&setup)).unwrap())
    });
    group.bench_function("encode", |b| {
        b.iter(|| black_box(&message).encode().unwrap())
    });
    group.finish();
}

criterion_group!(benches, codec);
criterion_main!(benches);
