//! QR codes drawn on the box as SVG (with the `qrcode` crate), and the texts they carry: the
//! `WIFI:` text phones' cameras turn into "join this network".

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// The QR code of `text` as an inline `<svg>` that fills its box (CSS sizes it), dark on
/// white with the quiet zone printers need. `None` if the text is too long for a QR code.
pub fn svg(text: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let image = code
        .render::<svg::Color<'_>>()
        .module_dimensions(1, 1)
        .quiet_zone(true)
        .build();
    // The renderer writes an XML prolog, a namespace and a fixed size before `viewBox`;
    // inline in HTML none is needed and the size comes from CSS.
    // It is labelled with its text, for screen readers.
    let view_box = image.find(" viewBox=")?;
    let label = text
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    Some(format!(
        "<svg role=\"img\" class=\"qr\" aria-label=\"{label}\"{}",
        &image[view_box..]
    ))
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
    fn a_qr_code_is_an_inline_svg_sized_by_css() {
        let image = svg("http://192.168.4.1/").unwrap();
        assert!(
            image.starts_with(
                "<svg role=\"img\" class=\"qr\" aria-label=\"http://192.168.4.1/\" viewBox=\"0 0 "
            ),
            "{image}"
        );
        assert!(!image.contains("<?xml"));
        let tag = &image[..image.find('>').unwrap()];
        assert!(!tag.contains("width"), "{tag}");
        assert!(image.contains("<path"));
        assert!(image.ends_with("</svg>"));
        let label = svg("WIFI:S:\"A&B\";;").unwrap();
        assert!(
            label.contains("aria-label=\"WIFI:S:&quot;A&amp;B&quot;;;\""),
            "{label}"
        );
    }
}
