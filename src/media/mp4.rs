//! MP4, M4A and 3GP (ISO base media): the top-level boxes walked (a box longer than the file
//! is cut short, as is a file with no `moov`), the sound track's codec from `stsd` (AAC as
//! `mp4a`; AMR refused), the length from `moov/mvhd` (or `mvex/mehd` when fragmented).

use super::Refused;
use super::recording::{millis_of, u32_be, u64_be};

/// One box: its type, its body, and where the next box starts.
struct Bx<'a> {
    kind: [u8; 4],
    body: &'a [u8],
    next: usize,
}

/// The box at `at` of `data`. One running past the end of `data` was cut short at the top
/// level (`top`), and is damaged inside a whole box.
fn bx(data: &[u8], at: usize, top: bool) -> Result<Bx<'_>, Refused> {
    let err = || {
        if top {
            Refused::RecordingTruncated
        } else {
            Refused::RecordingDamaged("MP4 box runs past its parent")
        }
    };
    let size = u32_be(data, at).ok_or_else(err)?;
    let kind: [u8; 4] = data
        .get(at + 4..at + 8)
        .and_then(|k| k.try_into().ok())
        .ok_or_else(err)?;
    let (header, size) = match size {
        1 => (16usize, u64_be(data, at + 8).ok_or_else(err)?),
        0 => (8, (data.len() - at) as u64),
        n => (8, u64::from(n)),
    };
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    if size < header {
        return Err(Refused::RecordingDamaged("MP4 box smaller than its header"));
    }
    let end = at.checked_add(size).ok_or_else(err)?;
    let body = data.get(at + header..end).ok_or_else(err)?;
    Ok(Bx {
        kind,
        body,
        next: end,
    })
}

/// The body of the first child of `parent` of kind `kind`.
fn find<'a>(parent: &'a [u8], kind: &[u8; 4]) -> Result<Option<&'a [u8]>, Refused> {
    let mut at = 0;
    // `bx` refuses a box smaller than its 8-byte header, so `at` grows every turn.
    while at < parent.len() {
        let b = bx(parent, at, false)?;
        if &b.kind == kind {
            return Ok(Some(b.body));
        }
        at = b.next;
    }
    Ok(None)
}

/// Every child of `parent` of kind `kind`.
fn all<'a>(parent: &'a [u8], kind: &[u8; 4]) -> Result<Vec<&'a [u8]>, Refused> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < parent.len() {
        let b = bx(parent, at, false)?;
        if &b.kind == kind {
            found.push(b.body);
        }
        at = b.next;
    }
    Ok(found)
}

fn path<'a>(mut body: &'a [u8], kinds: &[&[u8; 4]]) -> Result<Option<&'a [u8]>, Refused> {
    for kind in kinds {
        match find(body, kind)? {
            Some(b) => body = b,
            None => return Ok(None),
        }
    }
    Ok(Some(body))
}

/// The length in milliseconds of an MP4 whose sound is AAC.
pub(super) fn millis(bytes: &[u8]) -> Result<u64, Refused> {
    let mut moov = None;
    let mut at = 0;
    while at < bytes.len() {
        let b = bx(bytes, at, true)?;
        if &b.kind == b"moov" {
            moov = Some(b.body);
        }
        at = b.next;
    }
    // Recorders write `moov` last, after the sound: a file without it was cut short.
    let moov = moov.ok_or(Refused::RecordingTruncated)?;

    let mut sound = None;
    for trak in all(moov, b"trak")? {
        let handler = path(trak, &[b"mdia", b"hdlr"])?;
        if handler.and_then(|h| h.get(8..12)) != Some(b"soun") {
            continue;
        }
        let stsd = path(trak, &[b"mdia", b"minf", b"stbl", b"stsd"])?
            .ok_or(Refused::RecordingDamaged("sound track without stsd"))?;
        sound = Some(
            stsd.get(12..16)
                .ok_or(Refused::RecordingDamaged("empty stsd"))?,
        );
        if sound == Some(b"mp4a") {
            break;
        }
    }
    match sound {
        None => return Err(Refused::NotARecording),
        Some(b"mp4a") => {}
        Some(b"samr" | b"sawb") => return Err(Refused::Amr),
        Some(other) => {
            let name: String = other
                .iter()
                .map(|&b| char::from(b))
                .filter(char::is_ascii_graphic)
                .collect();
            return Err(Refused::Unplayable(format!("MP4 {name}")));
        }
    }

    let mvhd = find(moov, b"mvhd")?.ok_or(Refused::NoLength)?;
    let (timescale, duration) = match mvhd.first() {
        Some(1) => (u32_be(mvhd, 20), u64_be(mvhd, 24)),
        Some(_) => (u32_be(mvhd, 12), u32_be(mvhd, 16).map(u64::from)),
        None => (None, None),
    };
    let timescale = u64::from(timescale.ok_or(Refused::NoLength)?);
    let mut duration = duration.ok_or(Refused::NoLength)?;
    if duration == 0 || duration == u64::from(u32::MAX) {
        // A fragmented file keeps its length in `mvex/mehd`.
        let mehd = path(moov, &[b"mvex", b"mehd"])?.ok_or(Refused::NoLength)?;
        duration = match mehd.first() {
            Some(1) => u64_be(mehd, 4),
            _ => u32_be(mehd, 4).map(u64::from),
        }
        .ok_or(Refused::NoLength)?;
    }
    millis_of(duration, timescale).ok_or(Refused::NoLength)
}
