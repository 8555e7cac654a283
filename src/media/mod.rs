//! What facilitators upload from their phones, checked and prepared: a picture decoded,
//! turned upright and shrunk to a small JPEG (`picture`), a recording's container, codec and
//! length read from its bytes (`recording`, one file a container), and the name a media file
//! is kept under. Pure functions over bytes: no HTTP, no SQL, no other module of the crate
//! (a leaf). Every byte here comes from outside, so nothing panics, loops without bound or
//! allocates more than the limits below allow, whatever it is given.

mod mp3;
mod mp4;
mod ogg;
mod picture;
mod recording;
mod wav;
mod webm;

#[cfg(test)]
mod tests;

use sha2::{Digest, Sha256};

pub use picture::{Picture, shrink_picture};
pub use recording::{Recording, probe_recording};

/// Bytes a phone may send for one picture (a 50 MP camera's JPEG stays under it).
pub const MAX_PICTURE_UPLOAD: usize = 15 * 1024 * 1024;
/// Bytes of one recording. The same value as `protocol::proposal::MAX_AUDIO`, the most a
/// proposal may carry; kept equal by hand because a leaf imports nothing.
pub const MAX_RECORDING: usize = 8 * 1024 * 1024;
/// The longest recording, in seconds.
pub const MAX_SECONDS: u32 = 15 * 60;
/// A shrunk picture is under this many bytes.
pub const TARGET_PICTURE: usize = 60 * 1024;

/// The name a media file is kept under: the first 32 hex digits of its SHA-256, a dot, `ext`.
pub fn name_for(bytes: &[u8], ext: &str) -> String {
    let digest = Sha256::digest(bytes);
    format!("{}.{ext}", hex::encode(&digest[..16]))
}

/// Why an upload is refused. `Display` is short English for logs; `message` is what the
/// facilitator reads.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Refused {
    #[error("empty file")]
    Empty,
    #[error("picture of {bytes} bytes, over the limit")]
    PictureTooBig { bytes: usize },
    #[error("not a picture (JPEG, PNG, WebP or GIF)")]
    NotAPicture,
    #[error("HEIF/HEIC or AVIF picture, which the box cannot read")]
    Heif,
    #[error("picture of {width}x{height} px, over the limit of pixels")]
    TooManyPixels { width: u32, height: u32 },
    #[error("picture cut short")]
    PictureTruncated,
    #[error("picture damaged: {0}")]
    PictureDamaged(String),
    #[error("recording of {bytes} bytes, over the limit")]
    RecordingTooBig { bytes: usize },
    #[error("not a recording that phones can play")]
    NotARecording,
    #[error("AMR recording (phones' browsers cannot play it)")]
    Amr,
    #[error("recording in a codec phones' browsers cannot play: {0}")]
    Unplayable(String),
    #[error("recording cut short")]
    RecordingTruncated,
    #[error("recording damaged: {0}")]
    RecordingDamaged(&'static str),
    #[error("recording whose length cannot be read")]
    NoLength,
    #[error("recording of no length")]
    NoSound,
    #[error("recording of {seconds} s, over the limit")]
    TooLong { seconds: u64 },
}

impl Refused {
    /// Plain, short Vietnamese a facilitator can act on.
    pub fn message(&self) -> String {
        match self {
            Refused::Empty => "Tệp trống, không có gì để lưu. Hãy chọn lại tệp.".into(),
            Refused::PictureTooBig { bytes } => format!(
                "Ảnh nặng {} MB; nặng nhất là {} MB. Hãy chụp lại hoặc chọn ảnh khác.",
                megabytes(*bytes),
                MAX_PICTURE_UPLOAD / (1024 * 1024)
            ),
            Refused::NotAPicture => "Tệp này không phải là ảnh. Hãy chụp hoặc chọn một ảnh.".into(),
            Refused::Heif => "Ảnh ở dạng HEIC, hộp không đọc được. Trong cài đặt máy ảnh, hãy \
                              tắt \"ảnh hiệu quả cao\" (HEIF) rồi chụp lại, hoặc chọn ảnh JPEG."
                .into(),
            Refused::TooManyPixels { .. } => {
                "Ảnh quá lớn để hộp xử lý. Hãy chụp lại bằng máy ảnh của điện thoại.".into()
            }
            Refused::PictureTruncated => "Ảnh bị cắt ngang (chưa tải hết). Hãy gửi lại.".into(),
            Refused::PictureDamaged(_) => {
                "Ảnh bị hỏng, không mở được. Hãy chụp lại hoặc chọn ảnh khác.".into()
            }
            Refused::RecordingTooBig { bytes } => format!(
                "Bản ghi nặng {} MB; nặng nhất là {} MB. Hãy ghi ngắn hơn hoặc chia theo từng trang.",
                megabytes(*bytes),
                MAX_RECORDING / (1024 * 1024)
            ),
            Refused::NotARecording => {
                "Tệp này không phải là bản ghi âm. Hãy ghi âm bằng ứng dụng ghi âm của điện thoại."
                    .into()
            }
            Refused::Amr => "Bản ghi ở dạng AMR, điện thoại không phát được. Trong cài đặt của \
                             ứng dụng ghi âm, hãy chọn định dạng M4A (AAC) rồi ghi lại."
                .into(),
            Refused::Unplayable(_) => "Bản ghi ở dạng điện thoại không phát được. Trong cài đặt \
                                       của ứng dụng ghi âm, hãy chọn định dạng M4A (AAC) rồi ghi lại."
                .into(),
            Refused::RecordingTruncated => {
                "Tệp ghi âm bị cắt ngang (chưa tải hết). Hãy gửi lại.".into()
            }
            Refused::RecordingDamaged(_) | Refused::NoLength => {
                "Tệp ghi âm bị hỏng, không đọc được. Hãy gửi lại hoặc ghi lại.".into()
            }
            Refused::NoSound => "Bản ghi không có tiếng nào. Hãy ghi lại.".into(),
            Refused::TooLong { seconds } => format!(
                "Bản ghi dài {} phút; dài nhất là {} phút. Hãy ghi ngắn hơn hoặc chia theo từng trang.",
                seconds.div_ceil(60),
                MAX_SECONDS / 60
            ),
        }
    }
}

/// Whole megabytes, rounded up, so "16 MB" is never shown for a file just over 15 MB.
fn megabytes(bytes: usize) -> usize {
    bytes.div_ceil(1024 * 1024)
}
