//! The box's settings a facilitator edits: the commune's name (certificates, reports), the
//! hall's Wi-Fi (the poster's QR code), the province hub's address (sync), and the language
//! the box shows a phone that has not chosen one.

use std::collections::HashMap;

use crate::content::Lang;
use crate::protocol::address::HubAddress;
use crate::store::sync::{HUB_PLAIN_HTTP, HUB_URL};
use crate::text::{self, NameInvalid};

/// Wi-Fi limits: an SSID is at most 32 bytes; a WPA passphrase 8 to 63 characters.
const MAX_SSID_BYTES: usize = 32;
const WPA_PASSWORD: std::ops::RangeInclusive<usize> = 8..=63;
/// Phones a Raspberry Pi's built-in Wi-Fi serves at once (about 8 to 19): the dashboard warns
/// as the phones active near it. A hall with its own access point sets more.
pub const DEFAULT_WIFI_PHONES: u32 = 15;
const WIFI_PHONES: std::ops::RangeInclusive<u32> = 1..=5000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub commune_name: String,
    pub wifi_ssid: String,
    /// Empty for an open network.
    pub wifi_password: String,
    /// `http://…` or `https://…`, or empty while the commune has no hub.
    pub hub_url: String,
    pub lang: Lang,
    /// How many phones the hall's Wi-Fi takes at once.
    pub wifi_phones: u32,
    /// Sync may go over plain HTTP to a hub on a public address (records readable on the way).
    pub hub_plain_http: bool,
}

/// What is wrong with a settings form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingInvalid {
    CommuneEmpty,
    CommuneTooLong,
    /// The name holds a control character or one that reorders text.
    CommuneHidden,
    SsidTooLong,
    WifiPassword,
    PasswordWithoutSsid,
    HubUrl,
    Lang,
    WifiPhones,
}

impl From<NameInvalid> for SettingInvalid {
    fn from(invalid: NameInvalid) -> Self {
        match invalid {
            NameInvalid::Empty => SettingInvalid::CommuneEmpty,
            NameInvalid::TooLong => SettingInvalid::CommuneTooLong,
            NameInvalid::Hidden => SettingInvalid::CommuneHidden,
        }
    }
}

impl Settings {
    /// The keys in the `settings` table.
    pub const KEYS: [&'static str; 7] = [
        "commune_name",
        "wifi_ssid",
        "wifi_password",
        HUB_URL,
        "lang",
        "wifi_phones",
        HUB_PLAIN_HTTP,
    ];

    /// From the stored key–value pairs; anything missing is empty (or Vietnamese).
    pub fn from_stored(stored: &HashMap<String, String>) -> Settings {
        let get = |key: &str| stored.get(key).cloned().unwrap_or_default();
        Settings {
            commune_name: get("commune_name"),
            wifi_ssid: get("wifi_ssid"),
            wifi_password: get("wifi_password"),
            hub_url: get(HUB_URL),
            lang: stored
                .get("lang")
                .and_then(|code| Lang::from_code(code))
                .unwrap_or(Lang::Vi),
            wifi_phones: stored
                .get("wifi_phones")
                .and_then(|n| n.parse().ok())
                .unwrap_or(DEFAULT_WIFI_PHONES),
            hub_plain_http: stored.get(HUB_PLAIN_HTTP).map(String::as_str) == Some("1"),
        }
    }

    /// The pairs to store, in `KEYS` order.
    pub fn to_stored(&self) -> Vec<(String, String)> {
        let values = [
            self.commune_name.clone(),
            self.wifi_ssid.clone(),
            self.wifi_password.clone(),
            self.hub_url.clone(),
            self.lang.code().to_string(),
            self.wifi_phones.to_string(),
            if self.hub_plain_http { "1" } else { "0" }.to_string(),
        ];
        Settings::KEYS
            .iter()
            .map(|k| k.to_string())
            .zip(values)
            .collect()
    }

    /// Checks a form's fields, trimmed (the Wi-Fi password is kept exactly as typed).
    pub fn from_form(
        commune_name: &str,
        wifi_ssid: &str,
        wifi_password: &str,
        hub: (&str, bool),
        lang: &str,
        wifi_phones: &str,
    ) -> Result<Settings, Vec<SettingInvalid>> {
        let (hub_url, hub_plain_http) = hub;
        let mut invalid = Vec::new();
        let commune_name = text::commune_name(commune_name).unwrap_or_else(|e| {
            invalid.push(e.into());
            String::new()
        });
        let wifi_ssid = wifi_ssid.trim().to_string();
        if wifi_ssid.len() > MAX_SSID_BYTES {
            invalid.push(SettingInvalid::SsidTooLong);
        }
        let password_chars = wifi_password.chars().count();
        if !wifi_password.is_empty() && !WPA_PASSWORD.contains(&password_chars) {
            invalid.push(SettingInvalid::WifiPassword);
        }
        if !wifi_password.is_empty() && wifi_ssid.is_empty() {
            invalid.push(SettingInvalid::PasswordWithoutSsid);
        }
        let hub_url = match hub_url.trim() {
            "" => String::new(),
            typed => hub_address(typed).unwrap_or_else(|| {
                invalid.push(SettingInvalid::HubUrl);
                String::new()
            }),
        };
        let lang = Lang::from_code(lang.trim());
        if lang.is_none() {
            invalid.push(SettingInvalid::Lang);
        }
        let wifi_phones = match wifi_phones.trim() {
            "" => Some(DEFAULT_WIFI_PHONES),
            n => n.parse().ok().filter(|n| WIFI_PHONES.contains(n)),
        };
        if wifi_phones.is_none() {
            invalid.push(SettingInvalid::WifiPhones);
        }
        match (invalid.is_empty(), lang, wifi_phones) {
            (true, Some(lang), Some(wifi_phones)) => Ok(Settings {
                commune_name,
                wifi_ssid,
                wifi_password: wifi_password.to_string(),
                hub_url,
                lang,
                wifi_phones,
                hub_plain_http,
            }),
            _ => Err(invalid),
        }
    }
}

/// The hub's address as a person types it, made whole: spaces and a last `/` dropped, and
/// `http://` put in front when no scheme is typed (`192.168.1.10:8090`); `https://` kept.
/// `None` unless it is a hub's address (`protocol::address::HubAddress`).
pub fn hub_address(typed: &str) -> Option<String> {
    HubAddress::parse(typed).map(|a| a.as_str().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_form_is_tidied_and_round_trips_through_storage() {
        let s = Settings::from_form(
            "  Xã  Ea Sol ",
            " NhaVanHoa ",
            "caphe2025",
            ("http://hub.daklak.example:8080/", true),
            "vi",
            "40",
        )
        .unwrap();
        assert_eq!(s.commune_name, "Xã Ea Sol");
        assert_eq!(s.wifi_ssid, "NhaVanHoa");
        assert_eq!(s.hub_url, "http://hub.daklak.example:8080");
        assert_eq!(s.wifi_phones, 40);
        assert!(s.hub_plain_http);
        let stored: HashMap<String, String> = s.to_stored().into_iter().collect();
        assert_eq!(Settings::from_stored(&stored), s);
        assert!(
            Settings::from_form("Xã A", "", "", ("", false), "en", "")
                .is_ok_and(|s| s.wifi_phones == DEFAULT_WIFI_PHONES)
        );
    }

    #[test]
    fn every_mistake_is_named() {
        let bad = Settings::from_form("", &"s".repeat(33), "short", ("ftp://x", false), "fr", "0")
            .unwrap_err();
        assert_eq!(
            bad,
            vec![
                SettingInvalid::CommuneEmpty,
                SettingInvalid::SsidTooLong,
                SettingInvalid::WifiPassword,
                SettingInvalid::HubUrl,
                SettingInvalid::Lang,
                SettingInvalid::WifiPhones
            ]
        );
        assert_eq!(
            Settings::from_form("Xã A", "", "longenough", ("http://a b", false), "vi", "")
                .unwrap_err(),
            vec![SettingInvalid::PasswordWithoutSsid, SettingInvalid::HubUrl]
        );
        assert!(
            Settings::from_form("Xã A", "", "", ("http://10.0.0.5:99999", false), "vi", "")
                .is_err()
        );
        assert!(Settings::from_form("Xã A", "", "", ("", false), "vi", "mười").is_err());
    }

    #[test]
    fn a_hub_address_is_taken_as_people_type_it() {
        for (typed, whole) in [
            ("192.168.1.10:8090", Some("http://192.168.1.10:8090")),
            (
                " http://192.168.1.10:8090/ ",
                Some("http://192.168.1.10:8090"),
            ),
            ("hub.daklak.example", Some("http://hub.daklak.example")),
            (
                "https://hub.daklak.example",
                Some("https://hub.daklak.example"),
            ),
            ("ftp://hub.daklak.example", None),
            ("192.168.1.10 : 8090", None),
            ("", None),
        ] {
            assert_eq!(hub_address(typed).as_deref(), whole, "{typed:?}");
        }
        let s = Settings::from_form("Xã A", "", "", ("10.0.0.5:8090", false), "vi", "").unwrap();
        assert_eq!(s.hub_url, "http://10.0.0.5:8090");
    }
}
