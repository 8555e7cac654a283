//! Which machine the box runs on, so a copied SD card can notice it is in another board.

use sha2::{Digest, Sha256};

/// Where a machine's own id can be read, most specific first: a Raspberry Pi's serial
/// number, the firmware's product UUID, then the system's machine id (which a copied card
/// carries along, so it tells copies apart only where nothing better exists).
const SOURCES: &[&str] = &[
    "/sys/firmware/devicetree/base/serial-number",
    "/sys/class/dmi/id/product_uuid",
    "/etc/machine-id",
];

/// A fingerprint of this machine, or `None` when no source can be read (then a copy goes
/// unnoticed rather than a box changing identity by mistake).
pub fn fingerprint() -> Option<String> {
    SOURCES.iter().find_map(|path| {
        let text = std::fs::read(path).ok()?;
        let text = String::from_utf8_lossy(&text);
        let id = text.trim_matches(|c: char| c.is_whitespace() || c == '\0');
        (!id.is_empty()).then(|| hex::encode(&Sha256::digest(format!("{path}\0{id}"))[..16]))
    })
}
