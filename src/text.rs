//! Text typed by people, made comparable, in one place: spaces squeezed (`squeeze`), a name
//! or village tidied as it is kept (`tidy`: accents composed, tabs and line breaks made
//! spaces), folded for matching and search (`fold`: no accents, no case), the rule every
//! name field keeps (`name`: something visible, no hidden characters, not too long), and a
//! commune's name (`commune_name`; its kind, `commune_parts`). A leaf: it uses no other module
//! of the crate.

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

/// Characters that reorder the text around them (bidirectional embeddings, overrides,
/// isolates and marks): a name holding one can show as something else than it is.
fn reorders(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Characters that show nothing: zero-width spaces and joiners, the word joiner, the byte
/// order mark, the soft hyphen. Harmless inside a name (an emoji sequence uses a joiner),
/// but a name of only these is no name.
fn shows_nothing(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}'
    )
}

/// What is wrong with a typed name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameInvalid {
    /// Nothing anyone can read: empty, spaces, or only characters that show nothing.
    Empty,
    /// More than the field's characters.
    TooLong,
    /// A control character (NUL among them) or one that reorders the text.
    Hidden,
}

/// A name as kept (`tidy`), when it keeps the rule every name field has: something visible
/// in it, no control character but tabs and line breaks (which become spaces), nothing that
/// reorders text, at most `max` characters.
pub fn name(typed: &str, max: usize) -> Result<String, NameInvalid> {
    if typed
        .chars()
        .any(|c| reorders(c) || (c.is_control() && !c.is_whitespace()))
    {
        return Err(NameInvalid::Hidden);
    }
    let name = tidy(typed);
    if !name
        .chars()
        .any(|c| !c.is_whitespace() && !shows_nothing(c))
    {
        Err(NameInvalid::Empty)
    } else if name.chars().count() > max {
        Err(NameInvalid::TooLong)
    } else {
        Ok(name)
    }
}

/// A commune's name as kept: a `name` of at most `MAX_COMMUNE` characters.
pub fn commune_name(typed: &str) -> Result<String, NameInvalid> {
    name(typed, MAX_COMMUNE)
}

/// What a commune-level unit is: the word its name starts with in Vietnamese.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommuneKind {
    Xa,
    Phuong,
    DacKhu,
    ThiTran,
}

impl CommuneKind {
    const ALL: [CommuneKind; 4] = [
        CommuneKind::Xa,
        CommuneKind::Phuong,
        CommuneKind::DacKhu,
        CommuneKind::ThiTran,
    ];

    /// The word, as written before the name: `Xã`, `Phường`, `Đặc khu`, `Thị trấn`.
    pub fn word(self) -> &'static str {
        match self {
            CommuneKind::Xa => "Xã",
            CommuneKind::Phuong => "Phường",
            CommuneKind::DacKhu => "Đặc khu",
            CommuneKind::ThiTran => "Thị trấn",
        }
    }
}

/// A commune's name as its kind and its proper name: `Phường Tân An` → (`Phuong`, `Tân An`).
/// A name typed without its kind (`Ea Sol`) is a xã's, the most common.
pub fn commune_parts(name: &str) -> (CommuneKind, &str) {
    let name = name.trim();
    for kind in CommuneKind::ALL {
        let word = kind.word();
        if let Some((head, rest)) = name.split_at_checked(word.len())
            && head.to_lowercase() == word.to_lowercase()
            && rest.starts_with(' ')
            && !rest.trim().is_empty()
        {
            return (kind, rest.trim_start());
        }
    }
    (CommuneKind::Xa, name)
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
        assert_eq!(commune_name(" \t "), Err(NameInvalid::Empty));
        assert_eq!(commune_name(&"a".repeat(101)), Err(NameInvalid::TooLong));
        assert_eq!(commune_name(&"ă".repeat(100)).map(|n| n.len()), Ok(200));
    }

    #[test]
    fn a_commune_name_says_its_kind_or_is_a_xa() {
        for (name, kind, proper) in [
            ("Xã Ea Sol", CommuneKind::Xa, "Ea Sol"),
            ("xã Ea Sol", CommuneKind::Xa, "Ea Sol"),
            ("Ea Sol", CommuneKind::Xa, "Ea Sol"),
            ("Phường Tân An", CommuneKind::Phuong, "Tân An"),
            ("PHƯỜNG TÂN AN", CommuneKind::Phuong, "TÂN AN"),
            ("Thị trấn Phước An", CommuneKind::ThiTran, "Phước An"),
            ("Đặc khu Phú Quốc", CommuneKind::DacKhu, "Phú Quốc"),
            // A name that only starts like a kind, or is nothing but the kind.
            ("Xãhội", CommuneKind::Xa, "Xãhội"),
            ("Phường", CommuneKind::Xa, "Phường"),
            ("Xa Lộ", CommuneKind::Xa, "Xa Lộ"),
        ] {
            assert_eq!(commune_parts(name), (kind, proper), "{name}");
        }
    }

    #[test]
    fn a_name_must_show_something_and_hide_nothing() {
        for empty in [
            "",
            "   ",
            "\u{200B}\u{200B}",
            " \u{200D}\u{FEFF} ",
            "\u{00AD}\t\u{2060}",
        ] {
            assert_eq!(name(empty, 60), Err(NameInvalid::Empty), "{empty:?}");
        }
        for hidden in [
            "An\0",
            "\u{7}Bình",
            "Y\u{202E}nóS",
            "\u{2066}Hoa\u{2069}",
            "A\u{200F}B",
        ] {
            assert_eq!(name(hidden, 60), Err(NameInvalid::Hidden), "{hidden:?}");
        }
        assert_eq!(name("H'Hen\tNiê\n", 60), Ok("H'Hen Niê".into()));
        // A joiner inside an emoji sequence is part of what shows.
        assert_eq!(name("Bà 👩\u{200D}🌾", 60), Ok("Bà 👩\u{200D}🌾".into()));
        assert_eq!(name("abc", 2), Err(NameInvalid::TooLong));
    }
}
