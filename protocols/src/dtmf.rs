//! In-band DTMF detection (ITU-T Q.23 frequencies, Q.24 timing) with the Goertzel
//! algorithm, for legs that carry key presses only as audio (GSM modems without a DTMF
//! report, ISDN B channels, SIP peers without RFC 4733).
//!
//! ```text
//!            1209 Hz 1336 Hz 1477 Hz 1633 Hz
//!   697 Hz      1       2       3       A
//!   770 Hz      4       5       6       B
//!   852 Hz      7       8       9       C
//!   941 Hz      *       0       #       D
//! ```
//!
//! The detector runs two Goertzel banks over 205-sample windows (25.6 ms, about 39 Hz
//! resolution) staggered by half a window, so a decision is taken every 12.8 ms. A window
//! shows a key when the strongest row and column frequencies are loud enough, stand clear
//! of the rest of their group, keep the twist within 8 dB (column louder) or 4 dB (row
//! louder), and together hold most of the window's energy — speech and dial tone fail the
//! last test. A key is reported when two consecutive decisions agree (≥ 38 ms of tone,
//! so Q.24's 40 ms tones are caught) and is released after two decisions without it.

use crate::call::Digit;

const SAMPLE_RATE: f32 = 8000.0;
const WINDOW: usize = 205;
const STAGGER: usize = WINDOW / 2;

const ROWS: [f32; 4] = [697.0, 770.0, 852.0, 941.0];
const COLUMNS: [f32; 4] = [1209.0, 1336.0, 1477.0, 1633.0];
const KEYS: [[char; 4]; 4] = [
    ['1', '2', '3', 'A'],
    ['4', '5', '6', 'B'],
    ['7', '8', '9', 'C'],
    ['*', '0', '#', 'D'],
];

/// Minimum power of each of the two tones: a sine of about −36 dBm0 (G.711 0 dBm0 peak
/// ≈ 22 979; Goertzel power normalised by N² is A²/4).
const MIN_TONE_POWER: f32 = 33_000.0;
/// The chosen frequency must beat every other of its group by this ratio (≈ 8 dB).
const GROUP_MARGIN: f32 = 6.3;
/// Column louder than row by at most 8 dB (normal twist), row louder by at most 4 dB.
const MAX_NORMAL_TWIST: f32 = 6.31;
const MAX_REVERSE_TWIST: f32 = 2.51;
/// The two tones must carry this share of the window's energy.
const MIN_TONE_SHARE: f32 = 0.6;

/// One Goertzel bank over one window.
#[derive(Debug, Clone)]
struct Bank {
    s1: [f32; 8],
    s2: [f32; 8],
    energy: f32,
    count: usize,
}

impl Bank {
    fn new(count: usize) -> Bank {
        Bank {
            s1: [0.0; 8],
            s2: [0.0; 8],
            energy: 0.0,
            count,
        }
    }

    fn push(&mut self, coefficients: &[f32; 8], x: f32) {
        for ((c, s1), s2) in coefficients.iter().zip(&mut self.s1).zip(&mut self.s2) {
            let s = x + c * *s1 - *s2;
            *s2 = *s1;
            *s1 = s;
        }
        self.energy += x * x;
        self.count += 1;
    }

    /// The key this full window shows, if any; resets the bank.
    fn decide(&mut self, coefficients: &[f32; 8]) -> Option<Digit> {
        let n2 = (WINDOW * WINDOW) as f32;
        let mut power = [0.0f32; 8];
        for i in 0..8 {
            let (s1, s2) = (self.s1[i], self.s2[i]);
            power[i] = (s1 * s1 + s2 * s2 - coefficients[i] * s1 * s2) / n2;
        }
        let energy = self.energy / WINDOW as f32;
        *self = Bank::new(0);
        let (row, row_power) = strongest(&power[..4])?;
        let (column, column_power) = strongest(&power[4..])?;
        let twist_ok = column_power <= row_power * MAX_NORMAL_TWIST
            && row_power <= column_power * MAX_REVERSE_TWIST;
        // A pure sine of power P (Goertzel, normalised) has mean energy 2P.
        let share_ok = 2.0 * (row_power + column_power) >= MIN_TONE_SHARE * energy;
        let loud = row_power >= MIN_TONE_POWER && column_power >= MIN_TONE_POWER;
        (loud && twist_ok && share_ok).then(|| Digit::from_char(KEYS[row][column]))?
    }
}

/// The index and power of the strongest of `powers`, if it beats the others clearly.
fn strongest(powers: &[f32]) -> Option<(usize, f32)> {
    let (best, &max) = powers
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))?;
    let clear = powers
        .iter()
        .enumerate()
        .all(|(i, &p)| i == best || p * GROUP_MARGIN <= max);
    clear.then_some((best, max))
}

/// A DTMF detector for one audio stream of 8 kHz linear samples.
#[derive(Debug, Clone)]
pub struct DtmfDetector {
    coefficients: [f32; 8],
    banks: [Bank; 2],
    /// The last decision, and whether the one before agreed with it.
    last: Option<Digit>,
    /// The key currently held down (already reported).
    held: Option<Digit>,
    /// Consecutive decisions that did not show the held key.
    misses: u8,
}

impl Default for DtmfDetector {
    fn default() -> Self {
        DtmfDetector::new()
    }
}

impl DtmfDetector {
    pub fn new() -> DtmfDetector {
        let mut coefficients = [0.0; 8];
        for (c, f) in coefficients
            .iter_mut()
            .zip(ROWS.iter().chain(COLUMNS.iter()))
        {
            *c = 2.0 * (2.0 * std::f32::consts::PI * f / SAMPLE_RATE).cos();
        }
        // The second bank starts half a window late.
        let banks = [Bank::new(0), Bank::new(WINDOW - STAGGER)];
        DtmfDetector {
            coefficients,
            banks,
            last: None,
            held: None,
            misses: 0,
        }
    }

    /// Feeds samples; calls `on_key` once at the start of every key press.
    pub fn push(&mut self, samples: &[i16], mut on_key: impl FnMut(Digit)) {
        for &sample in samples {
            let x = f32::from(sample);
            for b in 0..2 {
                self.banks[b].push(&self.coefficients, x);
                if self.banks[b].count == WINDOW {
                    let decision = self.banks[b].decide(&self.coefficients);
                    if let Some(key) = self.debounce(decision) {
                        on_key(key);
                    }
                }
            }
        }
    }

    /// Two agreeing decisions press a key; two decisions without it release it.
    fn debounce(&mut self, decision: Option<Digit>) -> Option<Digit> {
        let confirmed = decision.filter(|d| self.last == Some(*d));
        self.last = decision;
        if decision.is_some() && decision == self.held {
            self.misses = 0;
            return None;
        }
        if self.held.is_some() {
            self.misses += 1;
            if self.misses < 2 {
                return None;
            }
            self.held = None;
        }
        let key = confirmed?;
        self.held = Some(key);
        self.misses = 0;
        Some(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::g711::Law;

    /// `ms` of the key's two tones at `row_dbm0` / `column_dbm0`, through A-law.
    fn key_tone(key: char, ms: usize, row_dbm0: f32, column_dbm0: f32) -> Vec<i16> {
        let (r, c) = (0..16)
            .map(|i| (i / 4, i % 4))
            .find(|&(r, c)| KEYS[r][c] == key)
            .unwrap();
        let amp = |dbm0: f32| 22_979.0 * 10f32.powf(dbm0 / 20.0);
        (0..ms * 8)
            .map(|n| {
                let t = n as f32 / SAMPLE_RATE;
                let x = amp(row_dbm0) * (2.0 * std::f32::consts::PI * ROWS[r] * t).sin()
                    + amp(column_dbm0) * (2.0 * std::f32::consts::PI * COLUMNS[c] * t).sin();
                Law::Alaw.decode(Law::Alaw.encode(x as i16))
            })
            .collect()
    }

    fn silence(ms: usize) -> Vec<i16> {
        vec![0; ms * 8]
    }

    fn detect(audio: &[i16]) -> String {
        let mut detector = DtmfDetector::new();
        let mut keys = String::new();
        // In 20 ms packets, as audio arrives.
        for packet in audio.chunks(160) {
            detector.push(packet, |d| keys.push(d.as_char()));
        }
        keys
    }

    #[test]
    fn all_sixteen_keys() {
        let mut audio = Vec::new();
        for key in "0123456789*#ABCD".chars() {
            audio.extend(key_tone(key, 80, -10.0, -8.0));
            audio.extend(silence(60));
        }
        assert_eq!(detect(&audio), "0123456789*#ABCD");
    }

    #[test]
    fn a_long_press_is_one_key_and_repeats_need_a_gap() {
        let mut audio = key_tone('5', 600, -10.0, -10.0);
        audio.extend(silence(50));
        audio.extend(key_tone('5', 60, -10.0, -10.0));
        assert_eq!(detect(&audio), "55");
    }

    #[test]
    fn q24_timing_40ms_is_caught_20ms_is_not() {
        let mut audio = silence(7);
        audio.extend(key_tone('9', 40, -10.0, -10.0));
        audio.extend(silence(100));
        audio.extend(key_tone('3', 20, -10.0, -10.0));
        audio.extend(silence(100));
        assert_eq!(detect(&audio), "9");
    }

    #[test]
    fn twist_limits() {
        assert_eq!(
            detect(&key_tone('1', 100, -10.0, -4.0)),
            "1",
            "6 dB normal twist"
        );
        assert_eq!(
            detect(&key_tone('1', 100, -16.0, -4.0)),
            "",
            "12 dB normal twist"
        );
        assert_eq!(
            detect(&key_tone('1', 100, -4.0, -10.0)),
            "",
            "6 dB reverse twist"
        );
    }

    #[test]
    fn quiet_tones_are_ignored() {
        assert_eq!(detect(&key_tone('8', 100, -45.0, -45.0)), "");
    }

    #[test]
    fn dial_tone_and_noise_are_not_keys() {
        let dial: Vec<i16> = (0..8000)
            .map(|n| {
                (5000.0 * (2.0 * std::f32::consts::PI * 425.0 * n as f32 / 8000.0).sin()) as i16
            })
            .collect();
        assert_eq!(detect(&dial), "");
        let mut state = 0x1234_5678u32;
        let noise: Vec<i16> = (0..16000)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (state >> 16) as i16 / 4
            })
            .collect();
        assert_eq!(detect(&noise), "");
    }

    #[test]
    fn a_key_over_dial_tone_is_still_heard() {
        // A user often starts dialling while dial tone plays.
        let mut audio = key_tone('4', 80, -8.0, -6.0);
        for (n, s) in audio.iter_mut().enumerate() {
            *s += (1500.0 * (2.0 * std::f32::consts::PI * 425.0 * n as f32 / 8000.0).sin()) as i16;
        }
        assert_eq!(detect(&audio), "4");
    }
}
