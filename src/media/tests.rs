//! Real recordings and pictures from `tests/media/` (see its README for how each was made),
//! cut and bit-flipped copies of them, and any bytes at all.

use proptest::prelude::*;

use super::*;

const OGG: &[u8] = include_bytes!("../../tests/media/voice.ogg");
const WEBM: &[u8] = include_bytes!("../../tests/media/voice.webm");
/// As a browser's MediaRecorder writes it: no Duration, a segment of unknown size.
const WEBM_STREAM: &[u8] = include_bytes!("../../tests/media/voice-stream.webm");
const M4A: &[u8] = include_bytes!("../../tests/media/voice.m4a");
const MP3: &[u8] = include_bytes!("../../tests/media/voice.mp3");
const WAV: &[u8] = include_bytes!("../../tests/media/voice.wav");
const AMR: &[u8] = include_bytes!("../../tests/media/voice.amr");
const AMR_3GP: &[u8] = include_bytes!("../../tests/media/voice-amr.3gp");
const TEXT_OGG: &[u8] = include_bytes!("../../tests/media/not-audio.ogg");
const PHOTO: &[u8] = include_bytes!("../../tests/media/photo-orientation-6.jpg");
const ALPHA_PNG: &[u8] = include_bytes!("../../tests/media/alpha.png");
const WEBP: &[u8] = include_bytes!("../../tests/media/picture.webp");
const GIF: &[u8] = include_bytes!("../../tests/media/picture.gif");

/// Every playable recording fixture with the ext and mime it must be given (each 3 s long).
const RECORDINGS: [(&str, &[u8], &str, &str); 6] = [
    ("voice.ogg", OGG, "ogg", "audio/ogg"),
    ("voice.webm", WEBM, "webm", "audio/webm"),
    ("voice-stream.webm", WEBM_STREAM, "webm", "audio/webm"),
    ("voice.m4a", M4A, "m4a", "audio/mp4"),
    ("voice.mp3", MP3, "mp3", "audio/mpeg"),
    ("voice.wav", WAV, "wav", "audio/wav"),
];

fn check_recording(name: &str, bytes: &[u8], ext: &str, mime: &str) {
    let got = probe_recording(bytes).unwrap_or_else(|e| panic!("{name}: refused: {e}"));
    assert_eq!((got.ext, got.mime), (ext, mime), "{name}");
    assert!(
        (2..=4).contains(&got.seconds),
        "{name}: {} s, not 3 ± 1",
        got.seconds
    );
    eprintln!("{name}: {} s", got.seconds);
    let half = &bytes[..bytes.len() / 2];
    assert_eq!(
        probe_recording(half),
        Err(Refused::RecordingTruncated),
        "{name} cut in half"
    );
}

#[test]
fn recordings_are_named_and_measured_and_cut_ones_refused() {
    for (name, bytes, ext, mime) in RECORDINGS {
        check_recording(name, bytes, ext, mime);
    }
}

/// `WEBM_STREAM` with every cluster's size made unknown, as Chrome's MediaRecorder writes them
/// (ffmpeg wrote them as 2-byte sizes, so the unknown size 0x7FFF fits in their place).
fn webm_of_unknown_clusters() -> Vec<u8> {
    let mut bytes = WEBM_STREAM.to_vec();
    let mut patched = 0;
    for at in 0..bytes.len() - 6 {
        if bytes[at..at + 4] == [0x1F, 0x43, 0xB6, 0x75] && bytes[at + 4] & 0xC0 == 0x40 {
            bytes[at + 4..at + 6].copy_from_slice(&[0x7F, 0xFF]);
            patched += 1;
        }
    }
    assert!(patched >= 2, "{patched} clusters");
    bytes
}

#[test]
fn a_browser_recording_of_unknown_sizes_is_measured_by_its_blocks() {
    let bytes = webm_of_unknown_clusters();
    check_recording("webm of unknown clusters", &bytes, "webm", "audio/webm");
}

#[test]
fn an_mp3_whose_tag_is_cut_is_cut() {
    let mut bytes = b"ID3\x04\0\0\0\x01\0\0".to_vec(); // a 16 KB tag
    bytes.resize(4000, 0);
    assert_eq!(probe_recording(&bytes), Err(Refused::RecordingTruncated));
}

#[test]
fn recordings_cut_anywhere_are_refused() {
    // Every cut of a tenth or more of the file, at a few hundred places.
    for (name, bytes, ..) in RECORDINGS {
        let step = (bytes.len() / 300).max(1);
        for len in (1..bytes.len() * 9 / 10).step_by(step) {
            let got = probe_recording(&bytes[..len]);
            assert!(
                got.is_err(),
                "{name} cut at {len} of {}: {got:?}",
                bytes.len()
            );
        }
    }
}

#[test]
fn amr_is_refused_with_what_to_do() {
    for bytes in [AMR, AMR_3GP] {
        let refused = probe_recording(bytes).unwrap_err();
        assert_eq!(refused, Refused::Amr);
        assert!(
            refused.message().contains("M4A (AAC)"),
            "{}",
            refused.message()
        );
    }
}

#[test]
fn what_is_not_a_recording_is_refused() {
    assert_eq!(probe_recording(TEXT_OGG), Err(Refused::NotARecording));
    assert_eq!(probe_recording(PHOTO), Err(Refused::NotARecording));
    assert_eq!(probe_recording(b""), Err(Refused::Empty));
    let huge = vec![0u8; MAX_RECORDING + 1];
    assert_eq!(
        probe_recording(&huge),
        Err(Refused::RecordingTooBig {
            bytes: MAX_RECORDING + 1
        })
    );
}

/// A WAV header declaring `data_bytes` of 8 kHz 8-bit mono PCM, followed by `have` bytes.
fn wav(data_bytes: u32, have: usize) -> Vec<u8> {
    let mut w = b"RIFF".to_vec();
    w.extend((36 + data_bytes).to_le_bytes());
    w.extend(b"WAVEfmt ");
    w.extend(16u32.to_le_bytes());
    w.extend(1u16.to_le_bytes()); // PCM
    w.extend(1u16.to_le_bytes()); // mono
    w.extend(8000u32.to_le_bytes());
    w.extend(8000u32.to_le_bytes()); // byte rate
    w.extend(1u16.to_le_bytes());
    w.extend(8u16.to_le_bytes());
    w.extend(b"data");
    w.extend(data_bytes.to_le_bytes());
    w.resize(w.len() + have, 0x80);
    w
}

#[test]
fn lengths_are_bounded() {
    // 16 minutes at 2 bytes a second, 1920 bytes.
    let long = {
        let mut w = wav(0, 0);
        w[28..32].copy_from_slice(&2u32.to_le_bytes());
        w[40..44].copy_from_slice(&1920u32.to_le_bytes());
        w.resize(w.len() + 1920, 0x80);
        w
    };
    let refused = probe_recording(&long).unwrap_err();
    assert_eq!(refused, Refused::TooLong { seconds: 960 });
    assert_eq!(
        refused.message(),
        "Bản ghi dài 16 phút; dài nhất là 15 phút. Hãy ghi ngắn hơn hoặc chia theo từng trang."
    );
    assert_eq!(probe_recording(&wav(0, 0)), Err(Refused::NoSound));
    assert_eq!(probe_recording(&wav(8000, 8000)).unwrap().seconds, 1);
    assert_eq!(
        probe_recording(&wav(8000, 4000)),
        Err(Refused::RecordingTruncated)
    );
}

#[test]
fn the_photo_comes_out_upright_small_and_a_jpeg() {
    let started = std::time::Instant::now();
    let picture = shrink_picture(PHOTO).unwrap();
    eprintln!(
        "shrink_picture: 1600x1200 JPEG of {} bytes to {}x{}, {} bytes, in {:?}",
        PHOTO.len(),
        picture.width,
        picture.height,
        picture.bytes.len(),
        started.elapsed()
    );
    // Stored 1600x1200 with orientation 6 (turn 90° clockwise): upright it is 1200x1600.
    assert_eq!((picture.width, picture.height), (600, 800));
    assert!(picture.bytes.len() < TARGET_PICTURE);
    assert_eq!((picture.ext, picture.mime), ("jpg", "image/jpeg"));
    let again = image::load_from_memory_with_format(&picture.bytes, image::ImageFormat::Jpeg)
        .unwrap()
        .into_rgb8();
    assert_eq!(again.dimensions(), (600, 800));
    // The red block stored at the top left is at the top right once upright.
    let [r, g, b] = again.get_pixel(600 - 30, 30).0;
    assert!(
        r > 180 && g < 80 && b < 80,
        "top right is {r},{g},{b}, not red"
    );
    let [r, g, _] = again.get_pixel(30, 30).0;
    assert!(!(r > 180 && g < 80), "top left is still red");
}

#[test]
fn other_pictures_are_shrunk_and_alpha_goes_white() {
    for (name, bytes, size) in [
        ("alpha.png", ALPHA_PNG, (120, 90)),
        ("picture.webp", WEBP, (640, 480)),
        ("picture.gif", GIF, (160, 120)),
    ] {
        let picture = shrink_picture(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        // Never upscaled.
        assert_eq!((picture.width, picture.height), size, "{name}");
        assert!(picture.bytes.len() < TARGET_PICTURE, "{name}");
    }
    let png = shrink_picture(ALPHA_PNG).unwrap();
    let rgb = image::load_from_memory(&png.bytes).unwrap().into_rgb8();
    let [r, g, b] = rgb.get_pixel(100, 45).0;
    assert!(
        r > 240 && g > 240 && b > 240,
        "transparent became {r},{g},{b}"
    );
    let [r, _, b] = rgb.get_pixel(20, 45).0;
    assert!(b > 200 && r < 80, "opaque blue became {r},_,{b}");
}

#[test]
fn what_is_not_a_whole_picture_is_refused() {
    assert_eq!(shrink_picture(b""), Err(Refused::Empty));
    assert_eq!(shrink_picture(TEXT_OGG), Err(Refused::NotAPicture));
    assert_eq!(shrink_picture(OGG), Err(Refused::NotAPicture));
    assert_eq!(
        shrink_picture(&PHOTO[..PHOTO.len() / 2]),
        Err(Refused::PictureTruncated)
    );
    for (name, bytes) in [("png", ALPHA_PNG), ("webp", WEBP), ("gif", GIF)] {
        let got = shrink_picture(&bytes[..bytes.len() / 2]);
        assert!(
            matches!(
                got,
                Err(Refused::PictureTruncated | Refused::PictureDamaged(_))
            ),
            "{name} cut in half: {got:?}"
        );
    }
    let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    heic.resize(2000, 0);
    assert_eq!(shrink_picture(&heic), Err(Refused::Heif));
    let huge = vec![0xFFu8; MAX_PICTURE_UPLOAD + 1];
    assert_eq!(
        shrink_picture(&huge),
        Err(Refused::PictureTooBig {
            bytes: MAX_PICTURE_UPLOAD + 1
        })
    );
}

/// A small, valid PNG claiming `width`x`height` grey pixels, all zero: its IDAT is a few KB
/// of deflate that would inflate to width × height bytes.
fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    use std::io::Write;
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend(u32::try_from(data.len()).unwrap().to_be_bytes());
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        out.extend(kind);
        out.extend(data);
        out.extend(crc.finalize().to_be_bytes());
    }
    let mut ihdr = Vec::new();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]); // 8-bit grey, no interlace
    // Only the first rows: enough for the decoder to start, not gigabytes in the test.
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&vec![0u8; (width as usize + 1) * 64]).unwrap();
    let idat = z.finish().unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &idat);
    chunk(&mut png, b"IEND", &[]);
    png
}

#[test]
fn a_picture_claiming_gigapixels_is_refused_before_decoding() {
    let bomb = png_bomb(20_000, 20_000);
    assert!(bomb.len() < 10_000, "{} bytes", bomb.len());
    assert_eq!(
        shrink_picture(&bomb),
        Err(Refused::TooManyPixels {
            width: 20_000,
            height: 20_000
        })
    );
    // A small one built the same way is a picture (its missing rows make it damaged or cut).
    assert!(matches!(
        shrink_picture(&png_bomb(100, 64)),
        Ok(_) | Err(Refused::PictureTruncated | Refused::PictureDamaged(_))
    ));
}

#[test]
fn names_are_the_hash_and_the_ext() {
    assert_eq!(name_for(b"", "ogg"), "e3b0c44298fc1c149afbf4c8996fb924.ogg");
    let name = name_for(OGG, "ogg");
    assert_eq!(name.len(), 32 + 4);
    assert!(name[..32].bytes().all(|b| b.is_ascii_hexdigit()));
}

#[test]
fn every_refusal_has_a_vietnamese_message() {
    let all = [
        Refused::Empty,
        Refused::PictureTooBig { bytes: 16 << 20 },
        Refused::NotAPicture,
        Refused::Heif,
        Refused::TooManyPixels {
            width: 1,
            height: 1,
        },
        Refused::PictureTruncated,
        Refused::PictureDamaged(String::new()),
        Refused::RecordingTooBig { bytes: 9 << 20 },
        Refused::NotARecording,
        Refused::Amr,
        Refused::Unplayable(String::new()),
        Refused::RecordingTruncated,
        Refused::RecordingDamaged(""),
        Refused::NoLength,
        Refused::NoSound,
        Refused::TooLong { seconds: 1020 },
    ];
    for refused in all {
        let message = refused.message();
        assert!(
            message.starts_with(char::is_uppercase) && message.ends_with('.'),
            "{message}"
        );
        assert!(!refused.to_string().is_empty());
    }
    assert_eq!(
        Refused::TooLong { seconds: 1020 }.message(),
        "Bản ghi dài 17 phút; dài nhất là 15 phút. Hãy ghi ngắn hơn hoặc chia theo từng trang."
    );
    assert_eq!(
        Refused::RecordingTruncated.message(),
        "Tệp ghi âm bị cắt ngang (chưa tải hết). Hãy gửi lại."
    );
    assert_eq!(
        Refused::NotAPicture.message(),
        "Tệp này không phải là ảnh. Hãy chụp hoặc chọn một ảnh."
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = shrink_picture(&bytes);
        if let Ok(r) = probe_recording(&bytes) {
            prop_assert!(r.seconds <= MAX_SECONDS);
        }
    }

    #[test]
    fn any_bytes_behind_a_magic_never_panic(
        magic in 0usize..6,
        rest in proptest::collection::vec(any::<u8>(), 0..4096),
    ) {
        let magic: &[u8] = [
            &b"OggS\0\x02"[..], &[0x1A, 0x45, 0xDF, 0xA3], b"\0\0\0\x18ftypM4A ",
            b"RIFF\xff\xff\0\0WAVEfmt ", b"ID3\x04\0\0\0\0\0\0\xff\xfb", b"\xff\xd8\xff",
        ][magic];
        let bytes = [magic, &rest].concat();
        let _ = shrink_picture(&bytes);
        if let Ok(r) = probe_recording(&bytes) {
            prop_assert!(r.seconds <= MAX_SECONDS);
        }
    }

    #[test]
    fn damaged_recordings_never_panic_nor_run_long(
        which in 0usize..8,
        cut in any::<proptest::sample::Index>(),
        flips in proptest::collection::vec((any::<proptest::sample::Index>(), 0u8..8), 0..6),
    ) {
        let fixture = [OGG, WEBM, WEBM_STREAM, M4A, MP3, WAV, AMR, AMR_3GP][which];
        let mut bytes = fixture[..=cut.index(fixture.len())].to_vec();
        for (at, bit) in flips {
            let at = at.index(bytes.len());
            bytes[at] ^= 1 << bit;
        }
        if let Ok(r) = probe_recording(&bytes) {
            prop_assert!(r.seconds <= MAX_SECONDS);
            prop_assert!(["ogg", "webm", "m4a", "mp3", "wav"].contains(&r.ext));
        }
    }

    #[test]
    fn damaged_pictures_never_panic(
        which in 0usize..4,
        cut in any::<proptest::sample::Index>(),
        flips in proptest::collection::vec((any::<proptest::sample::Index>(), 0u8..8), 0..6),
    ) {
        let fixture = [PHOTO, ALPHA_PNG, WEBP, GIF][which];
        let mut bytes = fixture[..=cut.index(fixture.len())].to_vec();
        for (at, bit) in flips {
            let at = at.index(bytes.len());
            bytes[at] ^= 1 << bit;
        }
        if let Ok(p) = shrink_picture(&bytes) {
            prop_assert!(p.bytes.len() < TARGET_PICTURE);
            prop_assert!(p.width <= 800 && p.height <= 800);
        }
    }
}
