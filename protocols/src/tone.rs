//! Call-progress tones (dial, ringback, busy, congestion) per national tone plan, as
//! G.711 audio.
//!
//! Every tone callbackd plays is one or two sine frequencies switched by a cadence. At
//! 8 kHz each of them repeats exactly after a short period (425 Hz after 320 samples,
//! 350+440 Hz after 800), so a [`ToneTable`] renders one period once, already
//! G.711-encoded, and a [`TonePlayer`] only copies bytes and counts the cadence: playing a
//! tone to thousands of legs costs a `memcpy` per 20 ms packet.
//!
//! Frequencies and cadences follow ITU-T E.180 Supplement 2 and the ETSI TR 101 041
//! recommendation for Europe:
//!
//! | plan | dial | ringback | busy | congestion |
//! |---|---|---|---|---|
//! | `pl` | 425 Hz continuous | 425 Hz 1 s on / 4 s off | 425 Hz 0.5 / 0.5 s | 425 Hz 0.5 / 0.5 s |
//! | `eu` | 425 Hz continuous | 425 Hz 1 s / 4 s | 425 Hz 0.5 / 0.5 s | 425 Hz 0.25 / 0.25 s |
//! | `us` | 350 + 440 Hz continuous | 440 + 480 Hz 2 s / 4 s | 480 + 620 Hz 0.5 / 0.5 s | 480 + 620 Hz 0.25 / 0.25 s |

use std::sync::Arc;

use serde::Serialize;

use crate::g711::Law;

/// Samples per second of narrowband telephony audio.
pub const SAMPLE_RATE: u32 = 8000;

/// Level of each frequency component, in dBm0 (E.180 gives −10 to −15 dBm0 for a single
/// frequency; two-frequency tones use −13 dBm0 per component, as North American plans do).
const LEVEL_DBM0: f64 = -13.0;

/// Peak amplitude, in 16-bit linear units, of a 0 dBm0 sine (G.711: 3.14 dB below the
/// coder's overload point, A-law; µ-law is within 0.03 dB of it).
const ZERO_DBM0_PEAK: f64 = 22_979.0;

/// A national tone plan (`[node] tones`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TonePlan {
    Pl,
    Eu,
    Us,
}

/// The tones the node plays to a caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tone {
    Dial,
    Ringback,
    Busy,
    Congestion,
}

/// One tone of a plan: the frequencies (one or two) and the cadence in milliseconds as
/// on/off pairs; an empty cadence is continuous.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ToneSpec {
    pub frequencies: &'static [u32],
    pub cadence_ms: &'static [(u32, u32)],
}

impl TonePlan {
    /// The frequencies and cadence of `tone` in this plan.
    pub const fn spec(self, tone: Tone) -> ToneSpec {
        const F425: &[u32] = &[425];
        let (frequencies, cadence_ms): (&[u32], &[(u32, u32)]) = match (self, tone) {
            (TonePlan::Us, Tone::Dial) => (&[350, 440], &[]),
            (TonePlan::Us, Tone::Ringback) => (&[440, 480], &[(2000, 4000)]),
            (TonePlan::Us, Tone::Busy) => (&[480, 620], &[(500, 500)]),
            (TonePlan::Us, Tone::Congestion) => (&[480, 620], &[(250, 250)]),
            (_, Tone::Dial) => (F425, &[]),
            (_, Tone::Ringback) => (F425, &[(1000, 4000)]),
            (_, Tone::Busy) | (TonePlan::Pl, Tone::Congestion) => (F425, &[(500, 500)]),
            (TonePlan::Eu, Tone::Congestion) => (F425, &[(250, 250)]),
        };
        ToneSpec {
            frequencies,
            cadence_ms,
        }
    }

    /// The length of one cadence cycle of `tone`, in ms (0 for a continuous tone).
    pub fn cadence_period_ms(self, tone: Tone) -> u32 {
        self.spec(tone)
            .cadence_ms
            .iter()
            .map(|(on, off)| on + off)
            .sum()
    }

    /// The time, from the start of alerting, at which the caller has heard `rings` full
    /// rings: the end of the last ring's tone burst. For `pl`, 2 rings → 6 s (the spec's
    /// default reject time).
    pub fn rings_heard_after_ms(self, rings: u32) -> u32 {
        let period = self.cadence_period_ms(Tone::Ringback);
        let on = self
            .spec(Tone::Ringback)
            .cadence_ms
            .first()
            .map_or(0, |(on, _)| *on);
        match rings {
            0 => 0,
            n => (n - 1) * period + on,
        }
    }
}

/// One period of a tone, rendered and encoded, plus its cadence in samples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToneTable {
    law: Law,
    period: Vec<u8>,
    /// (on, off) in samples; empty for continuous.
    cadence: Vec<(u32, u32)>,
}

impl ToneTable {
    /// Renders `tone` of `plan` in `law`.
    pub fn render(plan: TonePlan, tone: Tone, law: Law) -> ToneTable {
        let spec = plan.spec(tone);
        let length = spec
            .frequencies
            .iter()
            .fold(1, |acc, &f| lcm(acc, period_samples(f)));
        let amplitude = ZERO_DBM0_PEAK * 10f64.powf(LEVEL_DBM0 / 20.0);
        let period = (0..length)
            .map(|n| {
                let t = f64::from(n) / f64::from(SAMPLE_RATE);
                let value: f64 = spec
                    .frequencies
                    .iter()
                    .map(|&f| (2.0 * std::f64::consts::PI * f64::from(f) * t).sin())
                    .sum();
                law.encode((value * amplitude).round() as i16)
            })
            .collect();
        let cadence = spec
            .cadence_ms
            .iter()
            .map(|&(on, off)| (on * SAMPLE_RATE / 1000, off * SAMPLE_RATE / 1000))
            .collect();
        ToneTable {
            law,
            period,
            cadence,
        }
    }

    pub fn law(&self) -> Law {
        self.law
    }

    /// Samples in one period of the waveform.
    pub fn period_len(&self) -> usize {
        self.period.len()
    }
}

/// Samples after which a sine of `frequency` Hz repeats exactly at 8 kHz.
fn period_samples(frequency: u32) -> u32 {
    SAMPLE_RATE / gcd(SAMPLE_RATE, frequency)
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn lcm(a: u32, b: u32) -> u32 {
    a / gcd(a, b) * b
}

/// Plays a [`ToneTable`] from its start: fills audio buffers with the tone, following the
/// cadence, continuing seamlessly from one call to the next.
#[derive(Debug, Clone)]
pub struct TonePlayer {
    table: Arc<ToneTable>,
    /// Position in the waveform period.
    phase: usize,
    /// Samples since the start of the cadence cycle.
    elapsed: u32,
}

impl TonePlayer {
    pub fn new(table: Arc<ToneTable>) -> TonePlayer {
        TonePlayer {
            table,
            phase: 0,
            elapsed: 0,
        }
    }

    /// Writes the next `out.len()` samples.
    pub fn fill(&mut self, out: &mut [u8]) {
        let silence = self.table.law.silence();
        let cycle: u32 = self.table.cadence.iter().map(|(on, off)| on + off).sum();
        for byte in out.iter_mut() {
            *byte = if self.sounding() {
                self.table.period[self.phase]
            } else {
                silence
            };
            self.phase = (self.phase + 1) % self.table.period.len();
            if cycle > 0 {
                self.elapsed = (self.elapsed + 1) % cycle;
            }
        }
    }

    /// Whether the tone is audible at the current position of the cadence.
    fn sounding(&self) -> bool {
        let mut at = self.elapsed;
        for &(on, off) in &self.table.cadence {
            if at < on {
                return true;
            }
            if at < on + off {
                return false;
            }
            at -= on + off;
        }
        self.table.cadence.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Power of `frequency` in `samples` by the Goertzel recurrence, normalised by N².
    fn power(samples: &[i16], frequency: f64) -> f64 {
        let w = 2.0 * std::f64::consts::PI * frequency / f64::from(SAMPLE_RATE);
        let coeff = 2.0 * w.cos();
        let (mut s1, mut s2) = (0.0, 0.0);
        for &x in samples {
            let s = f64::from(x) + coeff * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        let n = samples.len() as f64;
        (s1 * s1 + s2 * s2 - coeff * s1 * s2) / (n * n)
    }

    fn play(plan: TonePlan, tone: Tone, law: Law, samples: usize) -> Vec<i16> {
        let mut player = TonePlayer::new(Arc::new(ToneTable::render(plan, tone, law)));
        let mut bytes = vec![0u8; samples];
        // In 20 ms packets, as the media path does.
        for chunk in bytes.chunks_mut(160) {
            player.fill(chunk);
        }
        bytes.iter().map(|&b| law.decode(b)).collect()
    }

    #[test]
    fn periods_are_short() {
        assert_eq!(
            ToneTable::render(TonePlan::Pl, Tone::Dial, Law::Alaw).period_len(),
            320
        );
        assert_eq!(
            ToneTable::render(TonePlan::Us, Tone::Dial, Law::Ulaw).period_len(),
            800
        );
        assert_eq!(
            ToneTable::render(TonePlan::Us, Tone::Busy, Law::Ulaw).period_len(),
            400
        );
    }

    #[test]
    fn polish_dial_tone_is_425_hz() {
        let audio = play(TonePlan::Pl, Tone::Dial, Law::Alaw, 8000);
        let p425 = power(&audio, 425.0);
        for other in [350.0, 400.0, 450.0, 500.0, 1000.0] {
            assert!(p425 > 100.0 * power(&audio, other), "425 Hz vs {other} Hz");
        }
    }

    #[test]
    fn us_dial_tone_has_both_frequencies() {
        let audio = play(TonePlan::Us, Tone::Dial, Law::Ulaw, 8000);
        let (p350, p440) = (power(&audio, 350.0), power(&audio, 440.0));
        assert!((p350 / p440 - 1.0).abs() < 0.1);
        assert!(p350 > 100.0 * power(&audio, 425.0));
    }

    #[test]
    fn busy_cadence_is_half_a_second_on_and_off() {
        let audio = play(TonePlan::Pl, Tone::Busy, Law::Alaw, 16000);
        let loud = |range: std::ops::Range<usize>| audio[range].iter().any(|&s| s.abs() > 1000);
        assert!(loud(0..4000));
        assert!(!loud(4000..8000));
        assert!(loud(8000..12000));
        assert!(!loud(12000..16000));
    }

    #[test]
    fn ringback_cadence_matches_the_plan() {
        let audio = play(TonePlan::Pl, Tone::Ringback, Law::Alaw, 6 * 8000);
        let loud = |range: std::ops::Range<usize>| audio[range].iter().any(|&s| s.abs() > 1000);
        assert!(loud(0..8000), "first second rings");
        assert!(!loud(8000..40000), "then four seconds of silence");
        assert!(loud(40000..48000), "then the second ring");
    }

    #[test]
    fn two_polish_rings_are_heard_after_six_seconds() {
        assert_eq!(TonePlan::Pl.rings_heard_after_ms(2), 6000);
        assert_eq!(TonePlan::Pl.rings_heard_after_ms(1), 1000);
        assert_eq!(TonePlan::Us.rings_heard_after_ms(2), 8000);
    }

    #[test]
    fn level_is_minus_13_dbm0() {
        let audio = play(TonePlan::Pl, Tone::Dial, Law::Alaw, 320);
        let peak = audio.iter().map(|s| s.abs()).max().unwrap() as f64;
        let dbm0 = 20.0 * (peak / ZERO_DBM0_PEAK).log10();
        assert!((dbm0 - LEVEL_DBM0).abs() < 0.5, "{dbm0} dBm0");
    }
}
