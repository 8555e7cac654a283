//! QR codes made on the box (with the `qrcode` crate's modules, drawn by `web` as SVG), and
//! the texts they carry: the `WIFI:` text phones' cameras turn into "join this network".

use std::fmt::Write;

use qrcode::{Color, EcLevel, QrCode};

/// Modules of light border around a QR code, which printers and cameras need.
const QUIET_ZONE: usize = 4;

/// A QR code, ready to draw: the side of its square in modules (quiet zone included) and an
/// SVG path of its dark modules, each run of a row as one rectangle
/// (`M{left} {top}h{width}v1H{left}V{top}`). `web` draws it as an inline `<svg>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Qr {
    pub side: usize,
    pub dark: String,
}

/// The QR code of `text`, or `None` if the text is too long for one.
pub fn code(text: &str) -> Option<Qr> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let mut dark = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] != Color::Dark {
                x += 1;
                continue;
            }
            let run = row[x..].iter().take_while(|c| **c == Color::Dark).count();
            let (left, top) = (x + QUIET_ZONE, y + QUIET_ZONE);
            write!(dark, "M{left} {top}h{run}v1H{left}V{top}").expect("a String takes text");
            x += run;
        }
    }
    Some(Qr {
        side: width + 2 * QUIET_ZONE,
        dark,
    })
}

/// The text of a Wi-Fi QR code (the `WIFI:` form phones' cameras read): WPA with a
/// password, an open network without one. `\`, `;`, `,`, `:` and `"` are escaped.
pub fn wifi_text(ssid: &str, password: &str) -> String {
    let escape = |s: &str| {
        s.chars()
            .fold(String::with_capacity(s.len()), |mut out, c| {
                if matches!(c, '\\' | ';' | ',' | ':' | '"') {
                    out.push('\\');
                }
                out.push(c);
                out
            })
    };
    if password.is_empty() {
        format!("WIFI:T:nopass;S:{};;", escape(ssid))
    } else {
        format!("WIFI:T:WPA;S:{};P:{};;", escape(ssid), escape(password))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wifi_text_escapes_the_special_characters() {
        assert_eq!(
            wifi_text("Nhà văn hóa", "abc;d:e,f"),
            "WIFI:T:WPA;S:Nhà văn hóa;P:abc\\;d\\:e\\,f;;"
        );
        assert_eq!(wifi_text("Hall\\1", ""), "WIFI:T:nopass;S:Hall\\\\1;;");
    }

    #[test]
    fn a_qr_code_is_its_runs_of_dark_modules_inside_a_quiet_zone() {
        let qr = code("http://192.168.4.1/").unwrap();
        // Version 2 (25 modules) for this text at level M, and four light modules a side.
        assert_eq!(qr.side, 25 + 8);
        // The finder pattern's top row: seven dark modules from the quiet zone's corner.
        assert!(qr.dark.starts_with("M4 4h7v1H4V4"), "{}", qr.dark);
        assert!(code(&"x".repeat(5000)).is_none());
    }
}
