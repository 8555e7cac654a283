//! A phone's picture (JPEG, PNG, WebP, GIF) decoded under limits (a small file may claim
//! gigapixels), turned upright by its EXIF orientation, flattened onto white, fitted in
//! 800x800 px and encoded as a JPEG under `TARGET_PICTURE`.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, RgbImage};

use super::{MAX_PICTURE_UPLOAD, Refused, TARGET_PICTURE};

/// The most pixels decoded: a 48 MP phone camera's photo is under it.
const MAX_PIXELS: u64 = 40_000_000;
/// The most the decoder may allocate: 40 MP of RGBA and the decoder's own buffers.
const MAX_ALLOC: u64 = 256 * 1024 * 1024;
/// A shrunk picture fits in a square this many pixels a side.
const SIDE: u32 = 800;
/// JPEG qualities tried, in turn, at the fitted size.
const QUALITIES: [u8; 5] = [80, 70, 60, 50, 40];

/// A picture ready to keep: a JPEG under `TARGET_PICTURE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub bytes: Vec<u8>,
    pub ext: &'static str,
    pub mime: &'static str,
    pub width: u32,
    pub height: u32,
}

/// Decodes a phone's picture (JPEG, PNG, WebP, GIF), turns it upright by its EXIF
/// orientation, fits it in 800x800 px (never upscales), and encodes JPEG under
/// TARGET_PICTURE by lowering quality and then size.
pub fn shrink_picture(bytes: &[u8]) -> Result<Picture, Refused> {
    if bytes.is_empty() {
        return Err(Refused::Empty);
    }
    if bytes.len() > MAX_PICTURE_UPLOAD {
        return Err(Refused::PictureTooBig { bytes: bytes.len() });
    }
    let upright = decode(bytes)?;
    let rgb = on_white(upright);
    let (width, height) = fit(rgb.width(), rgb.height(), SIDE);
    let mut rgb = if (width, height) == rgb.dimensions() {
        rgb
    } else {
        image::imageops::resize(&rgb, width, height, FilterType::Triangle)
    };
    for quality in QUALITIES {
        let jpeg = encode(&rgb, quality)?;
        if jpeg.len() < TARGET_PICTURE {
            return Ok(done(jpeg, &rgb));
        }
    }
    // Still too big at the lowest quality: shrink by a fifth a turn. At 16 px a side any JPEG
    // is a few hundred bytes, so this ends.
    loop {
        let (w, h) = fit(
            rgb.width(),
            rgb.height(),
            rgb.width().max(rgb.height()) * 4 / 5,
        );
        rgb = image::imageops::resize(&rgb, w, h, FilterType::Triangle);
        let jpeg = encode(&rgb, 50)?;
        if jpeg.len() < TARGET_PICTURE || w.max(h) <= 16 {
            return Ok(done(jpeg, &rgb));
        }
    }
}

fn done(bytes: Vec<u8>, rgb: &RgbImage) -> Picture {
    Picture {
        bytes,
        ext: "jpg",
        mime: "image/jpeg",
        width: rgb.width(),
        height: rgb.height(),
    }
}

/// The decoded picture, upright.
fn decode(bytes: &[u8]) -> Result<DynamicImage, Refused> {
    // Some Android cameras save HEIF ("high efficiency" photos), which Chrome sends as it is.
    if bytes.get(4..8) == Some(b"ftyp")
        && matches!(
            bytes.get(8..12),
            Some(b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"mif1" | b"msf1" | b"avif")
        )
    {
        return Err(Refused::Heif);
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| Refused::NotAPicture)?;
    let format = reader.format().ok_or(Refused::NotAPicture)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif
    ) {
        return Err(Refused::NotAPicture);
    }
    // zune-jpeg fills a cut-off JPEG with grey instead of failing: a JPEG without its end
    // marker after its first scan is refused here.
    if format == ImageFormat::Jpeg && !jpeg_is_whole(bytes) {
        return Err(Refused::PictureTruncated);
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(40_000);
    limits.max_image_height = Some(40_000);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = reader;
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(refusal)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Refused::TooManyPixels { width, height });
    }
    if width == 0 || height == 0 {
        return Err(Refused::PictureDamaged("no pixels".into()));
    }
    // A picture whose EXIF cannot be read is shown as it is stored.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(refusal)?;
    picture.apply_orientation(orientation);
    Ok(picture)
}

/// Whether a JPEG has its end-of-image marker after its first start-of-scan. Markers in the
/// segments before the scan (an EXIF thumbnail's own end) are skipped by their lengths.
fn jpeg_is_whole(b: &[u8]) -> bool {
    let mut at = 2; // past SOI
    // Each turn moves past a segment of at least 2 bytes plus its marker.
    while let (Some(&0xFF), Some(&marker)) = (b.get(at), b.get(at + 1)) {
        if marker == 0xFF {
            at += 1; // fill byte
            continue;
        }
        let Some(len) = b.get(at + 2..at + 4) else {
            return false;
        };
        let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
        if marker == 0xDA {
            let scan = b.get(at + 2 + len..).unwrap_or_default();
            return scan.windows(2).any(|w| w == [0xFF, 0xD9]);
        }
        at += 2 + len.max(2);
    }
    false
}

fn refusal(e: ImageError) -> Refused {
    match e {
        ImageError::Limits(_) => Refused::TooManyPixels {
            width: 0,
            height: 0,
        },
        ImageError::Unsupported(_) => Refused::NotAPicture,
        ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            Refused::PictureTruncated
        }
        other => {
            let text = other.to_string();
            if text.contains("EOF") || text.contains("end of") || text.contains("truncated") {
                Refused::PictureTruncated
            } else {
                Refused::PictureDamaged(text.chars().take(200).collect())
            }
        }
    }
}

/// The picture on a white background, as 8-bit RGB.
fn on_white(picture: DynamicImage) -> RgbImage {
    if !picture.color().has_alpha() {
        return picture.into_rgb8();
    }
    let rgba = picture.into_rgba8();
    let (w, h) = rgba.dimensions();
    RgbImage::from_fn(w, h, |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over =
            |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a)) + 127) / 255) as u8;
        image::Rgb([over(r), over(g), over(b)])
    })
}

/// `width`x`height` fitted in a square of `side`, keeping its shape, never larger, at least 1.
fn fit(width: u32, height: u32, side: u32) -> (u32, u32) {
    let longest = width.max(height);
    if longest <= side {
        return (width, height);
    }
    let scale = |n: u32| {
        ((u64::from(n) * u64::from(side)).div_ceil(u64::from(longest)) as u32).clamp(1, side)
    };
    (scale(width), scale(height))
}

fn encode(rgb: &RgbImage, quality: u8) -> Result<Vec<u8>, Refused> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(rgb)
        .map_err(|e| Refused::PictureDamaged(format!("JPEG encoding: {e}")))?;
    Ok(out)
}
