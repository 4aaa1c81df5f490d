//! ITU-T G.711 companding: A-law and µ-law, through precomputed tables.
//!
//! Decoding is one lookup in a 256-entry table. Encoding is one lookup in a table indexed
//! by the sample's top bits (A-law keeps 13 significant bits, µ-law 14), so both
//! directions cost a shift and a load. The tables are built at compile time by `const fn`
//! from the segment rules of G.711 §2 and checked against the standard's code points in
//! the tests below.

use serde::Serialize;

/// A G.711 companding law, as negotiated in SDP (`PCMA/8000` = A-law, payload type 8;
/// `PCMU/8000` = µ-law, payload type 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Law {
    /// A-law (Europe, most of the world); static RTP payload type 8.
    Alaw,
    /// µ-law (North America, Japan); static RTP payload type 0.
    Ulaw,
}

impl Law {
    /// The static RTP payload type (RFC 3551 table 4).
    pub const fn payload_type(self) -> u8 {
        match self {
            Law::Alaw => 8,
            Law::Ulaw => 0,
        }
    }

    /// The RFC 3551 encoding name in SDP `rtpmap`.
    pub const fn encoding(self) -> &'static str {
        match self {
            Law::Alaw => "PCMA",
            Law::Ulaw => "PCMU",
        }
    }

    /// The other law.
    pub const fn other(self) -> Law {
        match self {
            Law::Alaw => Law::Ulaw,
            Law::Ulaw => Law::Alaw,
        }
    }

    /// The encoded byte that decodes to silence (zero).
    pub const fn silence(self) -> u8 {
        match self {
            Law::Alaw => 0xD5,
            Law::Ulaw => 0xFF,
        }
    }

    /// Encodes one 16-bit linear sample.
    #[inline]
    pub fn encode(self, sample: i16) -> u8 {
        match self {
            Law::Alaw => ALAW_ENCODE[((sample as u16) >> 3) as usize],
            Law::Ulaw => ULAW_ENCODE[((sample as u16) >> 2) as usize],
        }
    }

    /// Decodes one byte to a 16-bit linear sample.
    #[inline]
    pub fn decode(self, byte: u8) -> i16 {
        match self {
            Law::Alaw => ALAW_DECODE[byte as usize],
            Law::Ulaw => ULAW_DECODE[byte as usize],
        }
    }

    /// Encodes a block of samples into `out` (which must be at least as long).
    pub fn encode_block(self, samples: &[i16], out: &mut [u8]) {
        for (o, &s) in out.iter_mut().zip(samples) {
            *o = self.encode(s);
        }
    }

    /// Decodes a block of bytes into `out` (which must be at least as long).
    pub fn decode_block(self, bytes: &[u8], out: &mut [i16]) {
        for (o, &b) in out.iter_mut().zip(bytes) {
            *o = self.decode(b);
        }
    }

    /// Re-encodes a block from this law to `other` (A-law ↔ µ-law transcoding).
    pub fn transcode(self, other: Law, bytes: &mut [u8]) {
        if self != other {
            for b in bytes {
                *b = other.encode(self.decode(*b));
            }
        }
    }
}

/// A-law: the sign is bit 7, the segment (0–7) bits 6–4, the step bits 3–0, and every
/// even bit is inverted on the line (XOR 0x55).
const fn alaw_decode(code: u8) -> i16 {
    let a = code ^ 0x55;
    let step = ((a & 0x0F) as i32) << 4;
    let segment = ((a >> 4) & 0x07) as i32;
    let magnitude = match segment {
        0 => step + 8,
        1 => step + 0x108,
        _ => (step + 0x108) << (segment - 1),
    };
    (if a & 0x80 != 0 { magnitude } else { -magnitude }) as i16
}

/// Encodes a 13-bit two's-complement value (the sample shifted right by 3).
const fn alaw_encode13(value: i32) -> u8 {
    let (mask, magnitude) = if value >= 0 {
        (0xD5u8, value)
    } else {
        (0x55u8, -value - 1)
    };
    // The segment is the position of the highest set bit above the 5-bit first segment.
    let mut segment = 0;
    while segment < 8 && magnitude >= (0x20 << segment) {
        segment += 1;
    }
    if segment >= 8 {
        return 0x7F ^ mask;
    }
    let shift = if segment < 2 { 1 } else { segment };
    let code = ((segment as u8) << 4) | (((magnitude >> shift) & 0x0F) as u8);
    code ^ mask
}

/// µ-law: samples are biased by 0x84 (132) and clipped at 32635; the code is the
/// one's complement of sign, exponent and mantissa.
const ULAW_BIAS: i32 = 0x84;
const ULAW_CLIP: i32 = 32635;

const fn ulaw_decode(code: u8) -> i16 {
    let u = !code;
    let exponent = ((u >> 4) & 0x07) as i32;
    let mantissa = (u & 0x0F) as i32;
    let magnitude = (((mantissa << 3) + ULAW_BIAS) << exponent) - ULAW_BIAS;
    (if u & 0x80 != 0 { -magnitude } else { magnitude }) as i16
}

/// Encodes a 14-bit two's-complement value (the sample shifted right by 2).
const fn ulaw_encode14(value: i32) -> u8 {
    let (sign, mut magnitude) = if value < 0 {
        (0x80u8, -value)
    } else {
        (0u8, value)
    };
    magnitude <<= 2;
    if magnitude > ULAW_CLIP {
        magnitude = ULAW_CLIP;
    }
    magnitude += ULAW_BIAS;
    let mut exponent = 7;
    while exponent > 0 && magnitude & (0x80 << exponent) == 0 {
        exponent -= 1;
    }
    let mantissa = ((magnitude >> (exponent + 3)) & 0x0F) as u8;
    !(sign | ((exponent as u8) << 4) | mantissa)
}

static ALAW_DECODE: [i16; 256] = {
    let mut table = [0i16; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = alaw_decode(i as u8);
        i += 1;
    }
    table
};

static ULAW_DECODE: [i16; 256] = {
    let mut table = [0i16; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = ulaw_decode(i as u8);
        i += 1;
    }
    table
};

/// Indexed by `(sample as u16) >> 3`: the 13-bit value, with negative values in the upper
/// half exactly as two's complement lays them out.
static ALAW_ENCODE: [u8; 8192] = {
    let mut table = [0u8; 8192];
    let mut i = 0;
    while i < 8192 {
        let value = if i < 4096 { i as i32 } else { i as i32 - 8192 };
        table[i] = alaw_encode13(value);
        i += 1;
    }
    table
};

/// Indexed by `(sample as u16) >> 2`: the 14-bit value, laid out like [`ALAW_ENCODE`].
static ULAW_ENCODE: [u8; 16384] = {
    let mut table = [0u8; 16384];
    let mut i = 0;
    while i < 16384 {
        let value = if i < 8192 { i as i32 } else { i as i32 - 16384 };
        table[i] = ulaw_encode14(value);
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Code points from G.711 tables 1a/1b and 2a/2b (decoder output values scaled to
    /// 16 bits: A-law decision values ×8, µ-law ×4).
    #[test]
    fn standard_code_points() {
        // A-law: zero encodes to 0xD5 (positive, segment 0, step 0, after XOR 0x55).
        assert_eq!(Law::Alaw.encode(0), 0xD5);
        assert_eq!(Law::Alaw.decode(0xD5), 8);
        assert_eq!(Law::Alaw.decode(0x55), -8);
        // Largest magnitudes.
        assert_eq!(Law::Alaw.decode(0xAA), 32256);
        assert_eq!(Law::Alaw.decode(0x2A), -32256);
        assert_eq!(Law::Alaw.encode(i16::MAX), 0xAA);
        assert_eq!(Law::Alaw.encode(i16::MIN), 0x2A);
        // µ-law: zero is 0xFF, the extremes 0x80 / 0x00.
        assert_eq!(Law::Ulaw.encode(0), 0xFF);
        assert_eq!(Law::Ulaw.decode(0xFF), 0);
        assert_eq!(Law::Ulaw.decode(0x80), 32124);
        assert_eq!(Law::Ulaw.decode(0x00), -32124);
        assert_eq!(Law::Ulaw.encode(i16::MAX), 0x80);
        assert_eq!(Law::Ulaw.encode(i16::MIN), 0x00);
    }

    #[test]
    fn every_code_survives_decode_then_encode() {
        for code in 0..=255u8 {
            assert_eq!(
                Law::Alaw.encode(Law::Alaw.decode(code)),
                code,
                "A-law {code:#04x}"
            );
            // µ-law has two zeros (0x7F and 0xFF); the encoder picks positive zero.
            let expected = if code == 0x7F { 0xFF } else { code };
            assert_eq!(
                Law::Ulaw.encode(Law::Ulaw.decode(code)),
                expected,
                "µ-law {code:#04x}"
            );
        }
    }

    #[test]
    fn quantisation_error_is_within_half_a_step() {
        for law in [Law::Alaw, Law::Ulaw] {
            for sample in (i16::MIN..=i16::MAX).step_by(7) {
                let back = law.decode(law.encode(sample)) as i32;
                let error = (back - sample as i32).abs();
                // The largest step of either law is 1024 (A-law) / 1024 (µ-law) at the top
                // segment; relative error stays within ~3.2 %, absolute within half a step.
                let bound = (sample as i32).abs() / 16 + 16;
                assert!(error <= bound.max(520), "{law:?} {sample} → {back}");
            }
        }
    }

    #[test]
    fn encoding_is_monotonic() {
        for law in [Law::Alaw, Law::Ulaw] {
            let mut last = i32::MIN;
            for sample in i16::MIN..=i16::MAX {
                let back = law.decode(law.encode(sample)) as i32;
                assert!(back >= last, "{law:?} not monotonic at {sample}");
                last = back;
            }
        }
    }

    #[test]
    fn transcoding_keeps_the_signal() {
        let mut bytes: Vec<u8> = (-3000..3000)
            .step_by(100)
            .map(|s| Law::Alaw.encode(s))
            .collect();
        let before: Vec<i16> = bytes.iter().map(|&b| Law::Alaw.decode(b)).collect();
        Law::Alaw.transcode(Law::Ulaw, &mut bytes);
        for (b, s) in bytes.iter().zip(before) {
            let after = Law::Ulaw.decode(*b) as i32;
            assert!((after - s as i32).abs() <= 64, "{s} → {after}");
        }
    }
}
