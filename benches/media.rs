//! What an upload costs the box: shrinking a phone's photo (decode, turn upright, fit in
//! 800 px, encode a JPEG under 60 KB) and reading a recording's length, each the median of
//! a few runs on this machine, with the bytes in and out.
//!
//! `cargo bench --bench media` (add `-- 9` for 9 runs each; default 5).

use std::io::Cursor;
use std::time::{Duration, Instant};

use image::RgbImage;

/// A photo as a phone's camera writes it: `width` x `height`, a sky, a field and fine
/// detail everywhere (a flat picture would shrink unfairly fast), JPEG at quality 90.
fn phone_photo(width: u32, height: u32) -> Vec<u8> {
    let mut seed = 0x9e37_79b9_u32;
    let image = RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let grain = (seed & 31) as u8;
        let sky = y < height / 3;
        let (r, g, b): (u8, u8, u8) = match sky {
            true => (90 + (y * 60 / height) as u8, 140, 210),
            false => (60 + ((x / 7 + y / 5) % 90) as u8, 120 + (x % 60) as u8, 50),
        };
        image::Rgb([
            r.saturating_add(grain),
            g.saturating_add(grain),
            b.saturating_add(grain / 2),
        ])
    });
    let mut out = Cursor::new(Vec::new());
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
    image
        .write_with_encoder(encoder)
        .expect("a JPEG is written");
    out.into_inner()
}

fn median<T>(runs: usize, mut work: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        last = Some(work());
        times.push(started.elapsed());
    }
    times.sort();
    (times[times.len() / 2], last.expect("at least one run"))
}

fn main() {
    let runs: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(5);
    println!("uploads, the median of {runs} runs each");
    println!(
        "{:<44} {:>10} {:>12} {:>10}",
        "input", "bytes in", "bytes out", "ms"
    );
    let mut pictures = vec![(
        "photo 1600x1200, EXIF sideways (tests/media)".to_string(),
        include_bytes!("../tests/media/photo-orientation-6.jpg").to_vec(),
    )];
    for (w, h) in [(1600, 1200), (4000, 3000)] {
        pictures.push((
            format!(
                "phone photo {w}x{h} ({:.1} MP), q90",
                f64::from(w * h) / 1e6
            ),
            phone_photo(w, h),
        ));
    }
    for (name, bytes) in &pictures {
        let (time, shrunk) = median(runs, || hocso::media::shrink_picture(bytes));
        let shrunk = shrunk.expect("a photo is taken");
        println!(
            "{:<44} {:>10} {:>12} {:>10.1}",
            name,
            bytes.len(),
            format!("{} {}x{}", shrunk.bytes.len(), shrunk.width, shrunk.height),
            time.as_secs_f64() * 1000.0
        );
    }
    let recordings: [(&str, &[u8]); 4] = [
        (
            "recording 3 s, Ogg/Opus",
            include_bytes!("../tests/media/voice.ogg"),
        ),
        (
            "recording 3 s, WebM as streamed",
            include_bytes!("../tests/media/voice-stream.webm"),
        ),
        (
            "recording 3 s, M4A (AAC)",
            include_bytes!("../tests/media/voice.m4a"),
        ),
        (
            "recording 3 s, MP3",
            include_bytes!("../tests/media/voice.mp3"),
        ),
    ];
    for (name, bytes) in recordings {
        let (time, probed) = median(runs, || hocso::media::probe_recording(bytes));
        let probed = probed.expect("a recording is read");
        println!(
            "{:<44} {:>10} {:>12} {:>10.3}",
            name,
            bytes.len(),
            format!("{} s long", probed.seconds),
            time.as_secs_f64() * 1000.0
        );
    }
}
