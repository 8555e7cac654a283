//! Text typed by people, made comparable, in one place: spaces squeezed (`squeeze`), a name
//! or village tidied as it is kept (`tidy`: accents composed, control characters dropped),
//! folded for matching and search (`fold`: no accents, no case), and a commune's name
//! (`commune_name`: the rule a box's settings, its set-up and the hub's codes all keep). A
//! leaf: it uses no other module of the crate.

use unicode_normalization::UnicodeNormalization;

/// The most characters a commune's name may have.
pub const MAX_COMMUNE: usize = 100;

/// Trimmed, with every run of spaces (tabs, newlines) made one space.
pub fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `squeeze`d, with accents composed (NFC) and control characters counted as spaces, so the
/// same name typed on two phones is the same text.
pub fn tidy(text: &str) -> String {
    let spaced: String = text
        .nfc()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    squeeze(&spaced)
}

/// Lowercase without accents (`Đôn` → `don`), `squeeze`d: how names and villages are matched
/// and searched, since many phones type without Vietnamese accents.
pub fn fold(text: &str) -> String {
    let folded = text
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .collect::<String>()
        .to_lowercase();
    squeeze(&folded)
}

/// What is wrong with a commune's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommuneInvalid {
    Empty,
    TooLong,
}

/// A commune's name as kept: `squeeze`d, not empty, at most `MAX_COMMUNE` characters.
pub fn commune_name(typed: &str) -> Result<String, CommuneInvalid> {
    let name = squeeze(typed);
    if name.is_empty() {
        Err(CommuneInvalid::Empty)
    } else if name.chars().count() > MAX_COMMUNE {
        Err(CommuneInvalid::TooLong)
    } else {
        Ok(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_drops_accents_and_case() {
        assert_eq!(fold("  Buôn  Đôn "), "buon don");
        assert_eq!(fold("NGUYỄN Văn Ánh"), "nguyen van anh");
        assert_eq!(fold("H'Hen Niê"), "h'hen nie");
    }

    #[test]
    fn names_are_squeezed_tidied_and_checked() {
        assert_eq!(squeeze(" Xã \t Ea  Sol\n"), "Xã Ea Sol");
        // "ô" typed as o + combining circumflex, and a tab and a control character.
        assert_eq!(tidy("Buo\u{302}n\u{7}\tĐôn "), "Buôn Đôn");
        assert_eq!(commune_name("  Xã   Ea Sol "), Ok("Xã Ea Sol".into()));
        assert_eq!(commune_name(" \t "), Err(CommuneInvalid::Empty));
        assert_eq!(commune_name(&"a".repeat(101)), Err(CommuneInvalid::TooLong));
        assert_eq!(commune_name(&"ă".repeat(100)).map(|n| n.len()), Ok(200));
    }
}
