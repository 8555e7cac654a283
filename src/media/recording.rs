//! A recording identified by its bytes (never by its name or the browser's claim) and its
//! length read from the container, without decoding a sample; the readers of each container
//! (`ogg`, `webm`, `mp4`, `mp3`, `wav`) share the little-endian and big-endian helpers here.

use super::{MAX_RECORDING, MAX_SECONDS, Refused, mp3, mp4, ogg, wav, webm};

/// A recording a phone's `<audio>` can play.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recording {
    /// One of "ogg", "webm", "m4a", "mp3", "wav".
    pub ext: &'static str,
    pub mime: &'static str,
    /// The length, rounded to the nearest second and at least 1.
    pub seconds: u32,
}

/// Identifies a recording's container and codec by its bytes (never by a file name or the
/// browser's claim) and reads its length.
pub fn probe_recording(bytes: &[u8]) -> Result<Recording, Refused> {
    if bytes.is_empty() {
        return Err(Refused::Empty);
    }
    if bytes.len() > MAX_RECORDING {
        return Err(Refused::RecordingTooBig { bytes: bytes.len() });
    }
    let (ext, mime, millis) = if bytes.starts_with(b"OggS") {
        ("ogg", "audio/ogg", ogg::millis(bytes)?)
    } else if bytes.starts_with(&webm::MAGIC) {
        ("webm", "audio/webm", webm::millis(bytes)?)
    } else if bytes.get(4..8) == Some(b"ftyp") {
        ("m4a", "audio/mp4", mp4::millis(bytes)?)
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WAVE") {
        ("wav", "audio/wav", wav::millis(bytes)?)
    } else if bytes.starts_with(b"#!AMR") {
        return Err(Refused::Amr);
    } else if bytes.starts_with(b"ID3") || mp3::looks_like(bytes) {
        ("mp3", "audio/mpeg", mp3::millis(bytes)?)
    } else {
        return Err(Refused::NotARecording);
    };
    Ok(Recording {
        ext,
        mime,
        seconds: seconds(millis)?,
    })
}

/// Whole seconds of a length in milliseconds, or why that length is refused.
fn seconds(millis: u64) -> Result<u32, Refused> {
    if millis == 0 {
        return Err(Refused::NoSound);
    }
    if millis > u64::from(MAX_SECONDS) * 1000 {
        return Err(Refused::TooLong {
            seconds: millis.div_ceil(1000),
        });
    }
    // Under MAX_SECONDS, so it fits a u32.
    Ok(u32::try_from(millis.saturating_add(500) / 1000)
        .unwrap_or(MAX_SECONDS)
        .max(1))
}

/// Milliseconds of `units` at `per_second` units a second, saturating, or `None` when the
/// rate is zero.
pub(super) fn millis_of(units: u64, per_second: u64) -> Option<u64> {
    if per_second == 0 {
        return None;
    }
    let ms = u128::from(units) * 1000 / u128::from(per_second);
    Some(u64::try_from(ms).unwrap_or(u64::MAX))
}

pub(super) fn u16_le(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

pub(super) fn u32_le(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

pub(super) fn u64_le(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

pub(super) fn u32_be(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

pub(super) fn u64_be(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}
