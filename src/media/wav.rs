//! WAV (RIFF WAVE) holding PCM: the chunks walked, the format checked in `fmt `, the length
//! from the `data` chunk's size over the byte rate. A `data` chunk longer than the file is
//! cut short.

use super::Refused;
use super::recording::{millis_of, u16_le, u32_le};

/// PCM, IEEE float, and the extensible header that wraps them: what Chrome plays.
const PLAYABLE: [u16; 3] = [0x0001, 0x0003, 0xFFFE];

/// The length in milliseconds of a WAV file.
pub(super) fn millis(bytes: &[u8]) -> Result<u64, Refused> {
    let mut byte_rate: Option<u32> = None;
    let mut at = 12usize;
    // Each turn moves `at` forward by at least the 8-byte chunk header, so this ends.
    while at < bytes.len() {
        let (Some(id), Some(size)) = (bytes.get(at..at + 4), u32_le(bytes, at + 4)) else {
            return Err(Refused::RecordingTruncated);
        };
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        let start = at + 8;
        let end = start.saturating_add(size);
        match id {
            b"fmt " => {
                let fmt = bytes.get(start..end).ok_or(Refused::RecordingTruncated)?;
                let tag = u16_le(fmt, 0).ok_or(Refused::RecordingDamaged("short fmt chunk"))?;
                if !PLAYABLE.contains(&tag) {
                    return Err(Refused::Unplayable(format!("WAV format 0x{tag:04x}")));
                }
                byte_rate = u32_le(fmt, 8);
            }
            b"data" => {
                let rate = byte_rate.ok_or(Refused::RecordingDamaged("data before fmt"))?;
                if end > bytes.len() {
                    return Err(Refused::RecordingTruncated);
                }
                return millis_of(size as u64, u64::from(rate)).ok_or(Refused::NoLength);
            }
            _ => {}
        }
        // Chunks are padded to an even size.
        at = end.saturating_add(size & 1);
    }
    Err(Refused::RecordingTruncated)
}
