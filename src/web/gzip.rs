//! A gzip body spliced from pieces, so that what is the same for every learner (a lesson's
//! text, most of its page) is compressed once and only the few hundred bytes that name the
//! learner are made per request.
//!
//! A page drawn in pieces carries marks where it is cut: after `KEEP` comes a piece the same
//! for many requests, kept compressed by its text in `Kept`; after `FRESH` one made for this
//! request alone, each time (stored as it is when short, compressed when long). A page is the same text whether sent plain (marks
//! taken out) or in pieces.
//!
//! Each piece is raw deflate that refers to nothing before it and ends with a full flush (a
//! non-final, byte-aligned block, the history forgotten), so pieces can follow one another in
//! one deflate stream; an empty final block closes it. The gzip trailer's CRC-32 is the pieces' CRCs combined.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::{Mutex, PoisonError};

use axum::body::Bytes;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use flate2::{Compress, Compression, FlushCompress};

/// One piece, compressed: its deflate bytes, and the CRC-32 and length of its text.
#[derive(Clone)]
pub struct Piece {
    deflate: Bytes,
    crc: crc32fast::Hasher,
    len: u64,
}

thread_local! {
    /// Each thread's compressor for pieces made per request, kept: a new one is a few hundred
    /// KB to allocate and clear, more than the piece takes to compress. A full flush after
    /// each piece forgets what came before, so no piece refers back into another.
    static FAST: std::cell::RefCell<Compress> =
        std::cell::RefCell::new(Compress::new(Compression::fast(), false));
}

impl Piece {
    /// `text` compressed at its best, for a piece kept.
    pub fn kept(text: &[u8]) -> Piece {
        Piece::with(&mut Compress::new(Compression::best(), false), text)
    }

    /// `text` compressed fast, for a piece made per request.
    pub fn fresh(text: &[u8]) -> Piece {
        FAST.with_borrow_mut(|compress| Piece::with(compress, text))
    }

    /// `text` as it is, in stored deflate blocks (no compression). The pieces that name a
    /// learner are a few hundred bytes, which deflate makes only a fifth smaller, at a
    /// quarter of the page's time: the compressor's full flush alone clears 128 KB of tables.
    pub fn stored(text: &[u8]) -> Piece {
        let blocks = text.len().div_ceil(usize::from(u16::MAX));
        let mut out = Vec::with_capacity(text.len() + 5 * blocks);
        for block in text.chunks(usize::from(u16::MAX)) {
            let len = block.len() as u16;
            // BFINAL 0, BTYPE 00 (stored), padded to the byte; then LEN and its complement.
            out.push(0);
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&(!len).to_le_bytes());
            out.extend_from_slice(block);
        }
        Piece::of(text, out)
    }

    fn with(compress: &mut Compress, text: &[u8]) -> Piece {
        let mut out = Vec::with_capacity(text.len() / 2 + 64);
        let start = compress.total_in();
        loop {
            let done = (compress.total_in() - start) as usize;
            compress
                .compress_vec(&text[done..], &mut out, FlushCompress::Full)
                .expect("deflate into a growing buffer");
            let done = (compress.total_in() - start) as usize;
            if done == text.len() && out.len() < out.capacity() {
                break;
            }
            out.reserve(out.capacity().max(64));
        }
        Piece::of(text, out)
    }

    /// The piece of `text` whose deflate bytes are `deflate`.
    fn of(text: &[u8], deflate: Vec<u8>) -> Piece {
        let mut crc = crc32fast::Hasher::new();
        crc.update(text);
        Piece {
            deflate: Bytes::from(deflate),
            crc,
            len: text.len() as u64,
        }
    }
}

/// The mark before a piece the same for many requests.
pub const KEEP: &str = "<!--hocso:keep-->";
/// The mark before a piece made for this request alone.
pub const FRESH: &str = "<!--hocso:fresh-->";

/// Kept pieces' text and deflate together stay under this; past it they are all dropped
/// and made again as asked (a few hundred KB hold every lesson page's in a hall's use).
const KEPT_BYTES: usize = 4 << 20;

/// Pieces compressed once at the best level, found again by their text: a piece is kept
/// only if the same text comes again, so nothing that names a learner needs to be told apart.
#[derive(Default)]
pub struct Kept {
    pieces: HashMap<Box<[u8]>, Piece, BuildHasherDefault<Crc>>,
    bytes: usize,
}

/// The kept pieces' hash: CRC-32 (crc32fast, many GB/s) over SipHash's few hundred MB/s, as
/// every request hashes its page's kept text. The text is the box's own drawing of the
/// lessons, never a phone's, so no one can choose keys that collide.
#[derive(Default)]
struct Crc(crc32fast::Hasher);

impl std::hash::Hasher for Crc {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    fn finish(&self) -> u64 {
        u64::from(self.0.clone().finalize())
    }
}

impl Kept {
    /// The piece of `text`, compressed the first time it is asked for.
    fn piece(kept: &Mutex<Kept>, text: &[u8]) -> Piece {
        if let Some(piece) = kept
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pieces
            .get(text)
        {
            return piece.clone();
        }
        let piece = Piece::kept(text);
        let mut kept = kept.lock().unwrap_or_else(PoisonError::into_inner);
        let size = text.len() + piece.deflate.len();
        if kept.bytes + size > KEPT_BYTES {
            kept.pieces.clear();
            kept.bytes = 0;
        }
        if kept.pieces.insert(text.into(), piece.clone()).is_none() {
            kept.bytes += size;
        }
        piece
    }
}

/// The pieces of a page drawn with marks, in order: whether each is kept, and its text.
fn pieces(page: &str) -> impl Iterator<Item = (bool, &str)> {
    let mut rest = page;
    let mut keep = true;
    std::iter::from_fn(move || {
        while !rest.is_empty() {
            let (piece, next) = match rest.find("<!--hocso:") {
                Some(at) if rest[at..].starts_with(KEEP) => {
                    (&rest[..at], Some((true, at + KEEP.len())))
                }
                Some(at) if rest[at..].starts_with(FRESH) => {
                    (&rest[..at], Some((false, at + FRESH.len())))
                }
                _ => (rest, None),
            };
            let this = keep;
            match next {
                Some((next_keep, skip)) => {
                    rest = &rest[skip..];
                    keep = next_keep;
                }
                None => rest = "",
            }
            if !piece.is_empty() {
                return Some((this, piece));
            }
        }
        None
    })
}

/// A page drawn with marks, as sent plain: the marks taken out.
pub fn plain(page: &str) -> String {
    pieces(page).map(|(_, text)| text).collect()
}

/// A fresh piece up to this long is sent stored (`Piece::stored`), a longer one compressed.
const STORED_UP_TO: usize = 1024;

/// A page drawn with marks, as one gzip body: kept pieces from `kept`, the others made now.
pub fn spliced(page: &str, kept: &Mutex<Kept>) -> Vec<u8> {
    let pieces: Vec<Piece> = pieces(page)
        .map(|(keep, text)| match keep {
            true => Kept::piece(kept, text.as_bytes()),
            false if text.len() <= STORED_UP_TO => Piece::stored(text.as_bytes()),
            false => Piece::fresh(text.as_bytes()),
        })
        .collect();
    splice(&pieces.iter().collect::<Vec<_>>())
}

/// A page drawn with marks, as the answer to a request with `headers`: one gzip body to a
/// client that takes gzip, the plain page to the others.
pub fn answer(page: &str, headers: &HeaderMap, kept: &Mutex<Kept>) -> Response {
    const HTML: &str = "text/html; charset=utf-8";
    if !accepted(headers) {
        return ([(header::CONTENT_TYPE, HTML)], plain(page)).into_response();
    }
    gzipped(HTML, spliced(page, kept))
}

/// `body`, gzipped already, as the answer of type `content_type` to a client that takes gzip.
pub fn gzipped(content_type: &'static str, body: impl IntoResponse) -> Response {
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_ENCODING, "gzip"),
        (header::VARY, "accept-encoding"),
    ];
    (headers, body).into_response()
}

/// Whether the request's `Accept-Encoding` takes gzip (and does not refuse it with `q=0`).
pub fn accepted(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or("");
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

/// The gzip file of `pieces` in order.
pub fn splice(pieces: &[&Piece]) -> Vec<u8> {
    const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    // An empty final block with fixed Huffman codes: BFINAL=1, BTYPE=01, end of block.
    const LAST_BLOCK: [u8; 2] = [0x03, 0x00];
    let size: usize = pieces.iter().map(|p| p.deflate.len()).sum();
    let mut out = Vec::with_capacity(HEADER.len() + size + LAST_BLOCK.len() + 8);
    out.extend_from_slice(&HEADER);
    let mut crc = crc32fast::Hasher::new();
    let mut len = 0u64;
    for piece in pieces {
        out.extend_from_slice(&piece.deflate);
        crc.combine(&piece.crc);
        len += piece.len;
    }
    out.extend_from_slice(&LAST_BLOCK);
    out.extend_from_slice(&crc.finalize().to_le_bytes());
    out.extend_from_slice(&(len as u32).to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use axum::http::HeaderValue;

    use super::*;

    fn gunzip(bytes: &[u8]) -> String {
        let mut text = String::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_string(&mut text)
            .expect("a whole gzip file");
        text
    }

    fn accept(value: &str) -> bool {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        accepted(&headers)
    }

    #[test]
    fn gzip_is_sent_only_where_it_is_taken() {
        assert!(accept("gzip, deflate"));
        assert!(accept("br;q=1.0, GZIP;q=0.5"));
        assert!(accept("*"));
        assert!(!accept("br"));
        assert!(!accept("gzip;q=0, br"));
        assert!(!accept("identity"));
        assert!(!accepted(&HeaderMap::new()));
    }

    #[test]
    fn spliced_pieces_read_back_as_one_text() {
        let middle = "<section>Chạm, vuốt và giữ trên màn hình cảm ứng. ".repeat(200);
        let kept = Piece::kept(middle.as_bytes());
        for (head, tail) in [
            ("<html><body data-learner=\"a\">", "</body></html>"),
            ("", ""),
            ("x", &*"y".repeat(100_000)),
        ] {
            let head_piece = Piece::fresh(head.as_bytes());
            let tail_piece = Piece::fresh(tail.as_bytes());
            let file = splice(&[&head_piece, &kept, &tail_piece]);
            assert_eq!(gunzip(&file), format!("{head}{middle}{tail}"));
        }
        // The kept piece is most of the file, compressed once.
        let small = splice(&[&kept]);
        assert!(small.len() * 10 < middle.len(), "{}", small.len());
        assert_eq!(gunzip(&splice(&[])), "");
        // A piece made per request refers to nothing the same compressor made before it.
        let text = "Đổi người học. ".repeat(20);
        let _earlier = Piece::fresh(text.as_bytes());
        let later = Piece::fresh(text.as_bytes());
        assert_eq!(gunzip(&splice(&[&later])), text);
    }

    #[test]
    fn a_page_in_pieces_reads_as_the_page_and_keeps_only_what_comes_again() {
        let kept = Mutex::new(Kept::default());
        let page = |name: &str| {
            format!(
                "<html><head><title>Bài 1</title></head>{FRESH}<body data-learner=\"{name}\">\
                 {KEEP}<main>{}</main>{FRESH}<p>{name}</p>{KEEP}</body></html>",
                "Chạm, vuốt và giữ. ".repeat(50)
            )
        };
        for name in ["Y Moan", "H'Hen Niê", "Y Moan"] {
            let drawn = page(name);
            let plain = plain(&drawn);
            assert!(!plain.contains("<!--hocso:"), "{plain}");
            assert!(plain.starts_with("<html><head><title>Bài 1</title></head><body data-learner"));
            assert_eq!(gunzip(&spliced(&drawn, &kept)), plain);
        }
        // The head, the main text and the end are kept; the learner's two pieces are not.
        assert_eq!(kept.lock().unwrap().pieces.len(), 3);
        // Marks at the ends and side by side make no empty pieces.
        let drawn = format!("{KEEP}{FRESH}a{KEEP}{KEEP}b{FRESH}");
        assert_eq!(
            pieces(&drawn).collect::<Vec<_>>(),
            [(false, "a"), (true, "b")]
        );
        assert_eq!(gunzip(&spliced(&drawn, &kept)), "ab");
        assert_eq!(plain("no marks"), "no marks");
    }

    #[test]
    fn stored_pieces_splice_with_compressed_ones() {
        let long = "Chạm, vuốt và giữ. ".repeat(4000);
        for text in ["", "<p>Y Moan</p>", &long] {
            let stored = Piece::stored(text.as_bytes());
            assert_eq!(
                stored.deflate.len(),
                text.len() + 5 * text.len().div_ceil(65_535)
            );
            let around = Piece::kept(b"<main>");
            assert_eq!(
                gunzip(&splice(&[&stored, &around, &stored])),
                format!("{text}<main>{text}")
            );
        }
    }

    #[test]
    fn kept_pieces_stay_under_their_bound() {
        let kept = Mutex::new(Kept::default());
        for n in 0..200 {
            // 64 KB of text a piece, each different: 12.8 MB asked for in all.
            let text: String = (0..65_536u32)
                .map(|i| char::from(b'a' + ((i * 7919 + n * 31) % 26) as u8))
                .collect();
            let drawn = format!("{KEEP}{text}");
            assert_eq!(gunzip(&spliced(&drawn, &kept)), text);
            assert!(kept.lock().unwrap().bytes <= KEPT_BYTES);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

        /// A page cut into kept and fresh pieces anywhere reads, spliced, as the page.
        #[test]
        fn any_split_of_any_page_decodes_to_the_page(
            text in "[a-zA-Zàáạảãăắằặẳẵâấầậẩẫđèéẹẻẽêếềệểễ <>/=\"\n]{0,600}",
            cuts in proptest::collection::vec(0usize..600, 0..8),
            fresh in proptest::collection::vec(proptest::prelude::any::<bool>(), 8),
        ) {
            let chars: Vec<char> = text.chars().collect();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (chars.len() + 1)).collect();
            cuts.sort_unstable();
            cuts.dedup();
            let mut page = String::new();
            let mut from = 0;
            for (i, cut) in cuts.iter().enumerate() {
                page.extend(&chars[from..*cut]);
                page.push_str(if fresh[i] { FRESH } else { KEEP });
                from = *cut;
            }
            page.extend(&chars[from..]);
            let kept = Mutex::new(Kept::default());
            for _ in 0..2 {
                proptest::prop_assert_eq!(gunzip(&spliced(&page, &kept)), plain(&page));
            }
            proptest::prop_assert_eq!(plain(&page), text);
        }
    }
}
