//! A signed, compressed message: what travels between a box and the hub, over HTTP or in a
//! file. Layout: a 4-byte kind, the signer's id (one length byte, then ASCII), a 64-byte
//! ed25519 signature, then the body as deflated JSON. The signature covers the kind, the id
//! and the compressed body, so nothing can be swapped between boxes or kinds.

use std::io::{Read, Write};

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Most bytes a body may inflate to: a guard against a small message that unpacks to gigabytes.
pub const MAX_INFLATED: u64 = 8 * 1024 * 1024;
/// The same for the two kinds that carry pictures and recordings (a content pack, a
/// commune's proposal), in base64.
pub const MAX_INFLATED_MEDIA: u64 = 24 * 1024 * 1024;

/// What an envelope carries; the first four bytes on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A box's events, signed by the box.
    Batch,
    /// The hub's acknowledgement of what it holds of a box, signed by the hub.
    Ack,
    /// A content pack (new lessons), signed by the hub.
    Pack,
    /// A province hub's introduction of one of its boxes to the national hub, signed by the
    /// province hub.
    Introduction,
    /// Where the province's live lesson stands, for one box's hall, signed by the hub.
    LiveNow,
    /// A hall's room in the province's live lesson (who is there, what they answered),
    /// signed by the box.
    LiveReport,
    /// A lesson or a recorded reading a commune offers the province, signed by the box.
    Proposal,
}

impl Kind {
    fn tag(self) -> &'static [u8; 4] {
        match self {
            Kind::Batch => b"HSB1",
            Kind::Ack => b"HSA1",
            Kind::Pack => b"HSP1",
            Kind::Introduction => b"HSI1",
            Kind::LiveNow => b"HSL1",
            Kind::LiveReport => b"HSR1",
            Kind::Proposal => b"HSO1",
        }
    }

    /// Most bytes this kind's body may inflate to.
    pub fn max_inflated(self) -> u64 {
        match self {
            Kind::Pack | Kind::Proposal => MAX_INFLATED_MEDIA,
            _ => MAX_INFLATED,
        }
    }

    fn from_tag(tag: &[u8]) -> Option<Kind> {
        [
            Kind::Batch,
            Kind::Ack,
            Kind::Pack,
            Kind::Introduction,
            Kind::LiveNow,
            Kind::LiveReport,
            Kind::Proposal,
        ]
        .into_iter()
        .find(|k| k.tag() == tag)
    }
}

/// Why an envelope was refused. Each says what is wrong in words a person can act on.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Refused {
    #[error("the message is cut short or is not a Hocso message")]
    Malformed,
    #[error("expected a {expected:?} message, got a {found:?}")]
    WrongKind { expected: Kind, found: Kind },
    #[error("no key is known for {0}")]
    UnknownSigner(String),
    #[error("the signature does not match: the message was changed or is not from {0}")]
    BadSignature(String),
    #[error("the body does not unpack: {0}")]
    BadBody(String),
}

/// A signing key: a box's or the hub's. Its public half is shared as 64 hex digits.
#[derive(Clone)]
pub struct Keys(SigningKey);

impl Keys {
    /// A new random key.
    pub fn generate() -> Keys {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).expect("the system has randomness");
        Keys(SigningKey::from_bytes(&secret))
    }

    pub fn from_secret(secret: &[u8]) -> Option<Keys> {
        let secret: [u8; 32] = secret.try_into().ok()?;
        Some(Keys(SigningKey::from_bytes(&secret)))
    }

    pub fn secret(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    pub fn public_hex(&self) -> String {
        hex::encode(self.0.verifying_key().to_bytes())
    }

    /// Signs `message` (for statements that are not envelopes, such as a vouch).
    pub fn sign(&self, message: &[u8]) -> String {
        hex::encode(self.0.sign(message).to_bytes())
    }
}

/// A public key as shared, checked: 64 hex digits of a valid ed25519 point.
pub fn public_key(hex_text: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(hex_text.trim()).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// Whether `signature` (hex) is `key`'s (hex) signature of `message`.
pub fn verify(key: &str, message: &[u8], signature: &str) -> bool {
    let (Some(key), Ok(signature)) = (public_key(key), hex::decode(signature)) else {
        return false;
    };
    let Ok(signature) = Signature::from_slice(&signature) else {
        return false;
    };
    key.verify(message, &signature).is_ok()
}

/// Packs `body` as JSON, deflates it and signs it as `signer`.
pub fn seal<T: Serialize>(kind: Kind, signer: &str, keys: &Keys, body: &T) -> Vec<u8> {
    assert!(
        signer.len() < 256 && signer.is_ascii(),
        "signer ids are short ASCII"
    );
    let json = serde_json::to_vec(body).expect("sync bodies serialize");
    let mut deflater = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    deflater.write_all(&json).expect("writing to memory");
    let compressed = deflater.finish().expect("writing to memory");
    let mut out = Vec::with_capacity(compressed.len() + 110);
    out.extend_from_slice(kind.tag());
    out.push(signer.len() as u8);
    out.extend_from_slice(signer.as_bytes());
    let signature = keys.0.sign(&signed_part(kind, signer, &compressed));
    out.extend_from_slice(&signature.to_bytes());
    out.extend_from_slice(&compressed);
    out
}

/// The kind and signer an envelope claims, before anything is checked: to find the key.
pub fn peek(bytes: &[u8]) -> Result<(Kind, String), Refused> {
    let kind = bytes
        .get(..4)
        .and_then(Kind::from_tag)
        .ok_or(Refused::Malformed)?;
    let len = *bytes.get(4).ok_or(Refused::Malformed)? as usize;
    let signer = bytes.get(5..5 + len).ok_or(Refused::Malformed)?;
    let signer = std::str::from_utf8(signer).map_err(|_| Refused::Malformed)?;
    if bytes.len() < 5 + len + 64 {
        return Err(Refused::Malformed);
    }
    Ok((kind, signer.to_string()))
}

/// Checks an envelope of `kind` against the signer's public key (`key_of(signer)`, hex) and
/// unpacks its body. Nothing is trusted before the signature is.
pub fn open<T: DeserializeOwned>(
    bytes: &[u8],
    kind: Kind,
    key_of: impl FnOnce(&str) -> Option<String>,
) -> Result<(String, T), Refused> {
    let (found, signer) = peek(bytes)?;
    if found != kind {
        return Err(Refused::WrongKind {
            expected: kind,
            found,
        });
    }
    let key = key_of(&signer)
        .and_then(|hex| public_key(&hex))
        .ok_or_else(|| Refused::UnknownSigner(signer.clone()))?;
    let start = 5 + signer.len();
    let signature = Signature::from_slice(&bytes[start..start + 64])
        .map_err(|_| Refused::BadSignature(signer.clone()))?;
    let compressed = &bytes[start + 64..];
    key.verify(&signed_part(kind, &signer, compressed), &signature)
        .map_err(|_| Refused::BadSignature(signer.clone()))?;
    let mut json = Vec::new();
    flate2::read::DeflateDecoder::new(compressed)
        .take(kind.max_inflated() + 1)
        .read_to_end(&mut json)
        .map_err(|e| Refused::BadBody(e.to_string()))?;
    if json.len() as u64 > kind.max_inflated() {
        return Err(Refused::BadBody(format!(
            "it unpacks to more than {} MB",
            kind.max_inflated() / (1024 * 1024)
        )));
    }
    let body = serde_json::from_slice(&json).map_err(|e| Refused::BadBody(e.to_string()))?;
    Ok((signer, body))
}

fn signed_part(kind: Kind, signer: &str, compressed: &[u8]) -> Vec<u8> {
    let mut part = Vec::with_capacity(compressed.len() + 48);
    part.extend_from_slice(kind.tag());
    part.extend_from_slice(signer.as_bytes());
    part.push(0);
    part.extend_from_slice(compressed);
    part
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_body_opens_only_with_its_signers_key_and_kind() {
        let keys = Keys::generate();
        let other = Keys::generate();
        let sealed = seal(Kind::Batch, "box-1", &keys, &vec![1, 2, 3]);
        let key = Some(keys.public_hex());
        let (signer, body): (String, Vec<i32>) =
            open(&sealed, Kind::Batch, |_| key.clone()).unwrap();
        assert_eq!((signer.as_str(), body), ("box-1", vec![1, 2, 3]));
        assert!(matches!(
            open::<Vec<i32>>(&sealed, Kind::Batch, |_| Some(other.public_hex())),
            Err(Refused::BadSignature(_))
        ));
        assert!(matches!(
            open::<Vec<i32>>(&sealed, Kind::Pack, |_| key.clone()),
            Err(Refused::WrongKind { .. })
        ));
        assert!(matches!(
            open::<Vec<i32>>(&sealed, Kind::Batch, |_| None),
            Err(Refused::UnknownSigner(_))
        ));
    }

    #[test]
    fn any_changed_or_missing_byte_is_refused() {
        let keys = Keys::generate();
        let sealed = seal(Kind::Ack, "hub", &keys, &"held 10");
        let key = Some(keys.public_hex());
        for cut in 0..sealed.len() {
            assert!(open::<String>(&sealed[..cut], Kind::Ack, |_| key.clone()).is_err());
        }
        for at in [5, 9, 40, sealed.len() - 1] {
            let mut changed = sealed.clone();
            changed[at] ^= 1;
            assert!(open::<String>(&changed, Kind::Ack, |_| key.clone()).is_err());
        }
    }

    #[test]
    fn vouches_verify_against_the_public_key() {
        let keys = Keys::generate();
        let signature = keys.sign(b"statement");
        assert!(verify(&keys.public_hex(), b"statement", &signature));
        assert!(!verify(&keys.public_hex(), b"other", &signature));
        assert!(!verify("zz", b"statement", &signature));
        let again = Keys::from_secret(&keys.secret()).unwrap();
        assert_eq!(again.public_hex(), keys.public_hex());
    }

    /// RFC 8032's first Ed25519 test vector: a stored secret keeps its public key and its
    /// signatures across a bump of the ed25519 crate.
    #[test]
    fn keys_and_signatures_are_plain_ed25519() {
        let secret =
            hex::decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
                .unwrap();
        let keys = Keys::from_secret(&secret).unwrap();
        let public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
        let signature = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
        assert_eq!(keys.public_hex(), public);
        assert_eq!(keys.sign(b""), signature);
        assert!(verify(public, b"", signature));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Sealing then opening gives the body back, whatever it says.
        #[test]
        fn an_envelope_opens_to_what_was_sealed(body in ".{0,400}", signer in "[a-z0-9-]{1,60}") {
            let keys = Keys::generate();
            let sealed = seal(Kind::Batch, &signer, &keys, &body);
            let key = keys.public_hex();
            let (by, opened): (String, String) = open(&sealed, Kind::Batch, |_| Some(key)).unwrap();
            proptest::prop_assert_eq!(by, signer);
            proptest::prop_assert_eq!(opened, body);
        }

        /// Any bytes, or a sealed envelope with any byte changed, never panic and never open.
        #[test]
        fn no_bytes_make_an_envelope_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600), flip in 0usize..400) {
            let _ = peek(&bytes);
            let keys = Keys::generate();
            let key = keys.public_hex();
            proptest::prop_assert!(open::<String>(&bytes, Kind::Batch, |_| Some(key.clone())).is_err());
            let mut sealed = seal(Kind::Batch, "box", &keys, &"a body".to_string());
            let at = flip % sealed.len();
            sealed[at] ^= 0x55;
            proptest::prop_assert!(open::<String>(&sealed, Kind::Batch, |_| Some(key.clone())).is_err());
        }
    }
}
