//! Ogg (Opus or Vorbis): every page walked and its CRC checked, the first stream's codec from
//! its first packet, the length from its last page's granule position. A stream without its
//! end-of-stream page is cut short.

use super::Refused;
use super::recording::{millis_of, u16_le, u32_le, u64_le};

/// The Ogg CRC-32: polynomial 0x04C11DB7, not reflected, initial value 0, no final xor
/// (unlike zlib's, so `crc32fast` does not fit).
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut r = (i as u32) << 24;
        let mut bit = 0;
        while bit < 8 {
            r = if r & 0x8000_0000 != 0 {
                (r << 1) ^ 0x04C1_1DB7
            } else {
                r << 1
            };
            bit += 1;
        }
        table[i] = r;
        i += 1;
    }
    table
};

fn crc(page: &[u8]) -> u32 {
    let mut crc = 0u32;
    for (i, &byte) in page.iter().enumerate() {
        // The CRC field itself (bytes 22..26) counts as zeros.
        let byte = if (22..26).contains(&i) { 0 } else { byte };
        crc = (crc << 8) ^ CRC_TABLE[usize::from((crc >> 24) as u8 ^ byte)];
    }
    crc
}

enum Codec {
    Opus { pre_skip: u64 },
    Vorbis { rate: u64 },
}

/// Reads the codec from the first packet of the stream's first page.
fn codec(packet: &[u8]) -> Result<Codec, Refused> {
    if packet.starts_with(b"OpusHead") {
        let pre_skip = u16_le(packet, 10).ok_or(Refused::RecordingDamaged("short OpusHead"))?;
        Ok(Codec::Opus {
            pre_skip: u64::from(pre_skip),
        })
    } else if packet.starts_with(b"\x01vorbis") {
        let rate = u32_le(packet, 12).ok_or(Refused::RecordingDamaged("short Vorbis header"))?;
        if rate == 0 {
            return Err(Refused::RecordingDamaged("Vorbis rate of zero"));
        }
        Ok(Codec::Vorbis {
            rate: u64::from(rate),
        })
    } else {
        let name: String = packet
            .iter()
            .take(8)
            .filter(|b| b.is_ascii_alphanumeric())
            .map(|&b| char::from(b))
            .collect();
        Err(Refused::Unplayable(format!("Ogg {name}")))
    }
}

/// The length in milliseconds of an Ogg Opus or Vorbis file.
pub(super) fn millis(bytes: &[u8]) -> Result<u64, Refused> {
    let mut at = 0usize;
    let mut first: Option<(u32, Codec)> = None;
    let mut last_granule: Option<u64> = None;
    let mut ended = false;
    // Each turn moves `at` forward by at least a 27-byte header, so this ends.
    while at < bytes.len() {
        let page = &bytes[at..];
        if page.len() < 27 {
            return Err(Refused::RecordingTruncated);
        }
        if !page.starts_with(b"OggS") || page[4] != 0 {
            return Err(if at == 0 {
                Refused::NotARecording
            } else {
                Refused::RecordingDamaged("lost Ogg page sync")
            });
        }
        let flags = page[5];
        let granule = u64_le(page, 6).unwrap_or(u64::MAX);
        let serial = u32_le(page, 14).unwrap_or(0);
        let stored_crc = u32_le(page, 22).unwrap_or(0);
        let segments = usize::from(page[26]);
        let Some(lacing) = page.get(27..27 + segments) else {
            return Err(Refused::RecordingTruncated);
        };
        let body: usize = lacing.iter().map(|&l| usize::from(l)).sum();
        let len = 27 + segments + body;
        let Some(page) = page.get(..len) else {
            return Err(Refused::RecordingTruncated);
        };
        if crc(page) != stored_crc {
            // A page that is whole but wrong was damaged, unless it is the last bytes we have.
            return Err(if at + len == bytes.len() {
                Refused::RecordingTruncated
            } else {
                Refused::RecordingDamaged("Ogg page CRC mismatch")
            });
        }
        match &first {
            None => {
                if flags & 0x02 == 0 {
                    return Err(Refused::RecordingDamaged(
                        "first Ogg page is not a beginning",
                    ));
                }
                // The first packet ends at the first lacing value under 255.
                let first_packet: usize =
                    lacing.iter().position(|&l| l < 255).map_or(body, |end| {
                        lacing[..=end].iter().map(|&l| usize::from(l)).sum()
                    });
                let packet = &page[27 + segments..27 + segments + first_packet];
                first = Some((serial, codec(packet)?));
            }
            Some((stream, _)) if *stream == serial => {
                // -1 means no packet ends on this page.
                if granule != u64::MAX {
                    last_granule = Some(granule);
                }
                if flags & 0x04 != 0 {
                    ended = true;
                }
            }
            Some(_) => {}
        }
        at += len;
    }
    let Some((_, codec)) = first else {
        return Err(Refused::NotARecording);
    };
    if !ended {
        return Err(Refused::RecordingTruncated);
    }
    let granule = last_granule.ok_or(Refused::NoLength)?;
    match codec {
        Codec::Opus { pre_skip } => millis_of(granule.saturating_sub(pre_skip), 48_000),
        Codec::Vorbis { rate } => millis_of(granule, rate),
    }
    .ok_or(Refused::NoLength)
}
