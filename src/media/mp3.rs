//! MP3 (MPEG-1, 2 and 2.5 Layer III): an ID3v2 tag skipped, every frame walked from the first
//! (a frame running past the end is cut short), the length from a Xing/Info or VBRI header's
//! frame count when the first frame holds one, else from the frames counted.

use super::Refused;
use super::recording::{millis_of, u32_be};

/// How far past an ID3v2 tag the first frame may start (some writers pad with zeros).
const SEARCH: usize = 4096;

const BITRATES_V1: [u32; 15] = [
    0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
];
const BITRATES_V2: [u32; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

#[derive(Clone, Copy)]
struct Frame {
    mpeg1: bool,
    mono: bool,
    rate: u32,
    len: usize,
}

impl Frame {
    fn samples(self) -> u64 {
        if self.mpeg1 { 1152 } else { 576 }
    }
}

/// The Layer III frame header at `at`, if there is a valid one.
fn frame(b: &[u8], at: usize) -> Option<Frame> {
    let h = b.get(at..at.checked_add(4)?)?;
    if h[0] != 0xFF || h[1] & 0xE0 != 0xE0 {
        return None;
    }
    let version = (h[1] >> 3) & 3; // 0: 2.5, 1: reserved, 2: 2, 3: 1
    let layer = (h[1] >> 1) & 3; // 1: Layer III
    let bitrate = usize::from(h[2] >> 4);
    let rate = usize::from((h[2] >> 2) & 3);
    if version == 1 || layer != 1 || bitrate == 0 || bitrate == 15 || rate == 3 {
        return None;
    }
    let mpeg1 = version == 3;
    let rate = [44_100, 48_000, 32_000][rate]
        >> match version {
            3 => 0,
            2 => 1,
            _ => 2,
        };
    let kbps = if mpeg1 { BITRATES_V1 } else { BITRATES_V2 }[bitrate];
    let per_frame = if mpeg1 { 144_000 } else { 72_000 };
    let len = (per_frame * kbps / rate + u32::from((h[2] >> 1) & 1)) as usize;
    Some(Frame {
        mpeg1,
        mono: h[3] >> 6 == 3,
        rate,
        len,
    })
}

/// Where the audio starts: past an ID3v2 tag, if any.
fn after_id3(b: &[u8]) -> usize {
    match b.get(..10) {
        Some(h) if h.starts_with(b"ID3") && h[6..10].iter().all(|&x| x < 0x80) => {
            let size = h[6..10]
                .iter()
                .fold(0usize, |n, &x| (n << 7) | usize::from(x));
            let footer = if h[5] & 0x10 != 0 { 10 } else { 0 };
            10 + size + footer
        }
        _ => 0,
    }
}

/// The first frame: a valid header followed by another (or by the end of the bytes).
fn first_frame(b: &[u8]) -> Option<(usize, Frame)> {
    let start = after_id3(b);
    let end = start.saturating_add(SEARCH).min(b.len());
    (start..end).find_map(|at| {
        let f = frame(b, at)?;
        let next = at + f.len;
        (next >= b.len() || frame(b, next).is_some()).then_some((at, f))
    })
}

pub(super) fn looks_like(b: &[u8]) -> bool {
    first_frame(b).is_some()
}

/// Whether the first frame is a Xing/Info or VBRI header (a frame of no sound), and the
/// frames that header says the file holds, if it says.
fn vbr_header(b: &[u8], at: usize, f: Frame) -> Option<Option<u32>> {
    let side = match (f.mpeg1, f.mono) {
        (true, false) => 32,
        (true, true) | (false, false) => 17,
        (false, true) => 9,
    };
    let xing = at + 4 + side;
    if matches!(b.get(xing..xing + 4), Some(b"Xing" | b"Info")) {
        let has_frames = u32_be(b, xing + 4).is_some_and(|flags| flags & 1 != 0);
        return Some(if has_frames {
            u32_be(b, xing + 8)
        } else {
            None
        });
    }
    let vbri = at + 4 + 32;
    if b.get(vbri..vbri + 4) == Some(b"VBRI") {
        return Some(u32_be(b, vbri + 14));
    }
    None
}

/// The length in milliseconds of an MP3 file.
pub(super) fn millis(b: &[u8]) -> Result<u64, Refused> {
    // A tag longer than the file (a cover picture, say) was cut short.
    if after_id3(b) > b.len() {
        return Err(Refused::RecordingTruncated);
    }
    let (first, f) = first_frame(b).ok_or(Refused::NotARecording)?;
    let header = vbr_header(b, first, f);
    let declared = header.flatten();
    let mut at = first;
    if header.is_some() {
        at += f.len;
    }
    let mut counted: u64 = 0;
    // Each frame is at least 24 bytes long, so this ends; it stops at the first thing that is
    // not a frame (an ID3v1 or APE tag at the end).
    while let Some(frame) = frame(b, at) {
        if at + frame.len > b.len() {
            return Err(Refused::RecordingTruncated);
        }
        counted += 1;
        at += frame.len;
    }
    let frames = match declared {
        Some(declared) => {
            // A file holding much less than its header declares was cut short.
            if counted.saturating_mul(10) < u64::from(declared).saturating_mul(9) {
                return Err(Refused::RecordingTruncated);
            }
            u64::from(declared)
        }
        None => counted,
    };
    millis_of(frames.saturating_mul(f.samples()), u64::from(f.rate)).ok_or(Refused::NoLength)
}
