//! WebM and Matroska (Opus or Vorbis): the EBML header's doc type, the segment's `Info`
//! (Duration × TimecodeScale), `Tracks` (an audio track's CodecID) and every cluster's blocks
//! walked, so an element running past the end is cut short. Browsers' MediaRecorder writes no
//! Duration and sizes it does not know: then the length is the last block's time.

use super::Refused;
use super::recording::millis_of;

pub(super) const MAGIC: [u8; 4] = [0x1A, 0x45, 0xDF, 0xA3];

const SEGMENT: u32 = 0x1853_8067;
const INFO: u32 = 0x1549_A966;
const TIMECODE_SCALE: u32 = 0x2A_D7B1;
const DURATION: u32 = 0x4489;
const TRACKS: u32 = 0x1654_AE6B;
const TRACK_ENTRY: u32 = 0xAE;
const TRACK_TYPE: u32 = 0x83;
const CODEC_ID: u32 = 0x86;
const CLUSTER: u32 = 0x1F43_B675;
const TIMECODE: u32 = 0xE7;
const SIMPLE_BLOCK: u32 = 0xA3;
const BLOCK_GROUP: u32 = 0xA0;
const BLOCK: u32 = 0xA1;
const DOC_TYPE: u32 = 0x4282;
/// The children a cluster of unknown size may hold; any other id ends it.
const IN_CLUSTER: [u32; 6] = [TIMECODE, SIMPLE_BLOCK, BLOCK_GROUP, 0xA7, 0xAB, 0xBF];

/// One element's header: its id, where its body starts, its size (`None`: unknown).
struct Head {
    id: u32,
    start: usize,
    size: Option<usize>,
}

/// The element header at `at`, or `None` when the bytes end inside it or it is malformed.
fn head(data: &[u8], at: usize) -> Option<Head> {
    let first = *data.get(at)?;
    let id_len = first.leading_zeros() as usize + 1;
    if id_len > 4 {
        return None;
    }
    let mut id = 0u32;
    for i in 0..id_len {
        id = (id << 8) | u32::from(*data.get(at + i)?);
    }
    let at = at + id_len;
    let first = *data.get(at)?;
    let size_len = first.leading_zeros() as usize + 1;
    if size_len > 8 {
        return None;
    }
    let mut size = u64::from(first) & (0xFF >> size_len);
    let mut all_ones = size == (0xFF >> size_len);
    for i in 1..size_len {
        let byte = *data.get(at + i)?;
        all_ones &= byte == 0xFF;
        size = (size << 8) | u64::from(byte);
    }
    Some(Head {
        id,
        start: at + size_len,
        size: if all_ones {
            None
        } else {
            Some(usize::try_from(size).unwrap_or(usize::MAX))
        },
    })
}

/// The whole body of an element of known size that must lie within `data`.
fn body<'a>(data: &'a [u8], h: &Head) -> Result<&'a [u8], Refused> {
    let size = h
        .size
        .ok_or(Refused::RecordingDamaged("WebM element of unknown size"))?;
    data.get(h.start..h.start.saturating_add(size))
        .ok_or(Refused::RecordingTruncated)
}

/// The children of a whole body, each with its own body; a child running past it is damage.
fn children(data: &[u8]) -> Result<Vec<(u32, &[u8])>, Refused> {
    let mut out = Vec::new();
    let mut at = 0;
    // Every header is at least two bytes, so `at` grows every turn.
    while at < data.len() {
        let h = head(data, at).ok_or(Refused::RecordingDamaged("WebM header malformed"))?;
        let b = body(data, &h).map_err(|_| Refused::RecordingDamaged("WebM child too long"))?;
        out.push((h.id, b));
        at = h.start + b.len();
    }
    Ok(out)
}

fn uint(b: &[u8]) -> u64 {
    b.iter()
        .take(8)
        .fold(0, |n, &byte| (n << 8) | u64::from(byte))
}

fn float(b: &[u8]) -> Option<f64> {
    match b.len() {
        4 => Some(f64::from(f32::from_be_bytes(b.try_into().ok()?))),
        8 => Some(f64::from_be_bytes(b.try_into().ok()?)),
        _ => None,
    }
}

/// A block's time relative to its cluster (the signed 16 bits after the track number).
fn block_time(block: &[u8]) -> Option<i64> {
    let track_len = block.first()?.leading_zeros() as usize + 1;
    let b = block.get(track_len..track_len + 2)?;
    Some(i64::from(i16::from_be_bytes([b[0], b[1]])))
}

/// The length in milliseconds of a WebM or Matroska file whose sound is Opus or Vorbis.
pub(super) fn millis(bytes: &[u8]) -> Result<u64, Refused> {
    let ebml = head(bytes, 0).ok_or(Refused::RecordingTruncated)?;
    let header = body(bytes, &ebml)?;
    let doc_type = children(header)?
        .into_iter()
        .find(|(id, _)| *id == DOC_TYPE)
        .map(|(_, b)| b);
    if !matches!(doc_type, Some(b"webm" | b"matroska")) {
        return Err(Refused::NotARecording);
    }
    let at = ebml.start + header.len();
    let segment = head(bytes, at).ok_or(Refused::RecordingTruncated)?;
    if segment.id != SEGMENT {
        return Err(Refused::RecordingDamaged("no WebM segment"));
    }
    let segment = match segment.size {
        Some(_) => body(bytes, &segment)?,
        None => &bytes[segment.start.min(bytes.len())..],
    };

    let mut scale: u64 = 1_000_000;
    let mut duration: Option<f64> = None;
    let mut codecs: Vec<&[u8]> = Vec::new();
    let mut last_time: i64 = 0;
    let mut at = 0;
    while at < segment.len() {
        let h = head(segment, at).ok_or(Refused::RecordingTruncated)?;
        match h.id {
            INFO => {
                let info = body(segment, &h)?;
                for (id, b) in children(info)? {
                    match id {
                        TIMECODE_SCALE => scale = uint(b),
                        DURATION => duration = float(b),
                        _ => {}
                    }
                }
                at = h.start + info.len();
            }
            TRACKS => {
                let tracks = body(segment, &h)?;
                for (id, entry) in children(tracks)? {
                    if id != TRACK_ENTRY {
                        continue;
                    }
                    let fields = children(entry)?;
                    let audio = fields
                        .iter()
                        .any(|(id, b)| *id == TRACK_TYPE && uint(b) == 2);
                    if let Some((_, codec)) = fields.iter().find(|(id, _)| *id == CODEC_ID)
                        && audio
                    {
                        codecs.push(codec);
                    }
                }
                at = h.start + tracks.len();
            }
            CLUSTER => {
                let (cluster, end) = match h.size {
                    Some(_) => {
                        let b = body(segment, &h)?;
                        (b, h.start + b.len())
                    }
                    None => (&segment[h.start.min(segment.len())..], segment.len()),
                };
                let used = walk_cluster(cluster, &mut last_time)?;
                at = if h.size.is_some() {
                    end
                } else {
                    h.start + used
                };
            }
            _ => at = h.start + body(segment, &h)?.len(),
        }
    }

    let playable = |c: &[u8]| c == b"A_OPUS" || c == b"A_VORBIS";
    let codec = codecs
        .iter()
        .copied()
        .find(|c| playable(c))
        .or(codecs.first().copied())
        .ok_or(Refused::NotARecording)?;
    if !playable(codec) {
        let name: String = codec
            .iter()
            .take(24)
            .map(|&b| char::from(b))
            .filter(char::is_ascii_graphic)
            .collect();
        return Err(Refused::Unplayable(format!("WebM {name}")));
    }
    match duration {
        Some(d) if d.is_finite() && d > 0.0 => {
            // `as` saturates: a huge or absurd Duration becomes u64::MAX and is refused as too long.
            Ok((d * scale as f64 / 1e6) as u64)
        }
        Some(_) => Err(Refused::NoLength),
        None => {
            let ticks = u64::try_from(last_time).unwrap_or(0);
            // TimecodeScale is nanoseconds a tick.
            Ok(millis_of(ticks.saturating_mul(scale), 1_000_000_000).unwrap_or(0))
        }
    }
}

/// Walks a cluster's children (all of `cluster` when its size is known; up to the first
/// element that does not belong in a cluster otherwise), raising `last_time` to its latest
/// block's time; answers how many bytes the cluster used.
fn walk_cluster(cluster: &[u8], last_time: &mut i64) -> Result<usize, Refused> {
    let mut base: i64 = 0;
    let mut at = 0;
    while at < cluster.len() {
        let h = head(cluster, at).ok_or(Refused::RecordingTruncated)?;
        if !IN_CLUSTER.contains(&h.id) {
            break;
        }
        let b = body(cluster, &h)?;
        match h.id {
            TIMECODE => base = i64::try_from(uint(b)).unwrap_or(i64::MAX),
            SIMPLE_BLOCK => {
                if let Some(t) = block_time(b) {
                    *last_time = (*last_time).max(base.saturating_add(t));
                }
            }
            BLOCK_GROUP => {
                for (id, block) in children(b)? {
                    if id == BLOCK
                        && let Some(t) = block_time(block)
                    {
                        *last_time = (*last_time).max(base.saturating_add(t));
                    }
                }
            }
            _ => {}
        }
        at = h.start + b.len();
    }
    Ok(at)
}
