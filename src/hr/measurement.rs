//! The Bluetooth Heart Rate Measurement characteristic (UUID 0x2A37 of the
//! Heart Rate service 0x180D), read from the bytes of one notification as
//! the Heart Rate Service specification lays them out:
//!
//! | byte(s) | what |
//! |---|---|
//! | 0 | flags: bit 0 the heart rate is 16-bit; bits 1-2 sensor contact (bit 2: supported, bit 1: detected); bit 3 energy expended present; bit 4 RR intervals present |
//! | 1 (or 1-2) | heart rate, beats a minute (8 or 16 bits, little-endian) |
//! | next 2, if bit 3 | energy expended, kilojoules |
//! | the rest, if bit 4 | RR intervals, 16 bits each, in 1/1024 s |
//!
//! A notification may carry several RR intervals (a strap that sends once
//! a second while the heart beats faster); every one is kept. This is
//! pure: the Bluetooth link, behind the `hrv` cargo feature, hands it bytes.

/// One notification, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// Heart rate, beats a minute.
    pub bpm: u16,
    /// Whether the sensor touches the skin, when it can tell.
    pub contact: Option<bool>,
    /// Energy expended since the last reset, kilojoules.
    pub energy_kj: Option<u16>,
    /// The RR intervals, in milliseconds, oldest first.
    pub rr_ms: Vec<f64>,
}

/// Why bytes are not a measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MeasurementError {
    /// No bytes at all.
    #[error("an empty heart-rate notification")]
    Empty,
    /// Shorter than its flags say.
    #[error("a heart-rate notification of {len} bytes, too short for its flags (needs {needs})")]
    Short {
        /// Bytes received.
        len: usize,
        /// Bytes the flags call for.
        needs: usize,
    },
    /// RR intervals take two bytes each; one was cut.
    #[error("a heart-rate notification whose RR intervals end half-way through one")]
    HalfInterval,
}

const HR_16_BIT: u8 = 0x01;
const CONTACT_DETECTED: u8 = 0x02;
const CONTACT_SUPPORTED: u8 = 0x04;
const ENERGY: u8 = 0x08;
const RR: u8 = 0x10;

/// Read one notification's bytes.
pub fn parse(bytes: &[u8]) -> Result<Measurement, MeasurementError> {
    let (&flags, rest) = bytes.split_first().ok_or(MeasurementError::Empty)?;
    let hr_len = if flags & HR_16_BIT != 0 { 2 } else { 1 };
    let energy_len = if flags & ENERGY != 0 { 2 } else { 0 };
    let needs = 1 + hr_len + energy_len;
    if bytes.len() < needs {
        return Err(MeasurementError::Short {
            len: bytes.len(),
            needs,
        });
    }
    let u16_at = |i: usize| u16::from_le_bytes([rest[i], rest[i + 1]]);
    let bpm = if hr_len == 2 {
        u16_at(0)
    } else {
        u16::from(rest[0])
    };
    let energy_kj = (energy_len == 2).then(|| u16_at(hr_len));
    let contact = (flags & CONTACT_SUPPORTED != 0).then_some(flags & CONTACT_DETECTED != 0);
    let tail = &rest[hr_len + energy_len..];
    let rr_ms = if flags & RR != 0 {
        if tail.len() % 2 != 0 {
            return Err(MeasurementError::HalfInterval);
        }
        tail.chunks_exact(2)
            .map(|c| f64::from(u16::from_le_bytes([c[0], c[1]])) * 1000.0 / 1024.0)
            .collect()
    } else {
        Vec::new()
    };
    Ok(Measurement {
        bpm,
        contact,
        energy_kj,
        rr_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_8_bit_rate_with_contact_and_one_interval() {
        // Flags 0x16: 8-bit rate, contact supported and detected, RR
        // present; 72 a minute; one interval of 0x0400 = 1024/1024 s.
        let m = parse(&[0x16, 0x48, 0x00, 0x04]).expect("reads");
        assert_eq!(
            m,
            Measurement {
                bpm: 72,
                contact: Some(true),
                energy_kj: None,
                rr_ms: vec![1000.0],
            }
        );
    }

    #[test]
    fn a_16_bit_rate_with_energy_and_every_interval() {
        // Flags 0x19: 16-bit rate, energy and RR present, no contact
        // feature; rate 0x0140 = 320; energy 0x0102 = 258 kJ; three
        // intervals: 0x0333 = 819/1024 s, 0x0300 = 768/1024 s, 0x0200.
        let m = parse(&[
            0x19, 0x40, 0x01, 0x02, 0x01, 0x33, 0x03, 0x00, 0x03, 0x00, 0x02,
        ])
        .expect("reads");
        assert_eq!((m.bpm, m.contact, m.energy_kj), (320, None, Some(258)));
        assert_eq!(m.rr_ms, vec![819.0 * 1000.0 / 1024.0, 750.0, 500.0]);
    }

    #[test]
    fn contact_supported_but_lost_and_no_intervals() {
        let m = parse(&[0x04, 0x3C]).expect("reads");
        assert_eq!((m.bpm, m.contact, m.rr_ms.len()), (60, Some(false), 0));
        // Bytes after the rate with no RR flag are not intervals.
        assert!(
            parse(&[0x00, 0x3C, 0x00, 0x04])
                .expect("reads")
                .rr_ms
                .is_empty()
        );
    }

    #[test]
    fn short_or_cut_notifications_are_errors_not_panics() {
        assert_eq!(parse(&[]), Err(MeasurementError::Empty));
        assert_eq!(
            parse(&[0x01, 0x48]),
            Err(MeasurementError::Short { len: 2, needs: 3 })
        );
        assert_eq!(
            parse(&[0x08, 0x48, 0x01]),
            Err(MeasurementError::Short { len: 3, needs: 4 })
        );
        assert_eq!(
            parse(&[0x10, 0x48, 0x00, 0x04, 0x01]),
            Err(MeasurementError::HalfInterval)
        );
        for len in 0..12 {
            let bytes: Vec<u8> = (0..len)
                .map(|i| 0x1F ^ (i as u8).wrapping_mul(37))
                .collect();
            let _ = parse(&bytes);
        }
    }
}
