//! The file a USB stick carries: envelopes one after another, closed by a count and a
//! SHA-256 of everything before it, so a file cut short or damaged is noticed before any
//! of it is used.

use sha2::{Digest, Sha256};

const MAGIC: &[u8] = b"HOCSO-SYNC-FILE 1\n";
const END: &[u8] = b"END\n";
/// Most bytes one envelope in a file may have.
const MAX_FRAME: usize = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FileRefused {
    #[error("this is not a Hocso sync file")]
    Foreign,
    #[error(
        "the file is damaged or cut short (it was perhaps not fully copied); nothing was taken from it"
    )]
    Damaged,
}

/// The bytes of a file holding `envelopes`.
pub fn write(envelopes: &[Vec<u8>]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    for envelope in envelopes {
        out.extend_from_slice(&(envelope.len() as u32).to_be_bytes());
        out.extend_from_slice(envelope);
    }
    out.extend_from_slice(END);
    out.extend_from_slice(&(envelopes.len() as u32).to_be_bytes());
    let digest = Sha256::digest(&out);
    out.extend_from_slice(&digest);
    out
}

/// The envelopes of a whole, undamaged file (not yet checked one by one).
pub fn read(bytes: &[u8]) -> Result<Vec<&[u8]>, FileRefused> {
    if !bytes.starts_with(MAGIC) {
        return Err(FileRefused::Foreign);
    }
    let body_end = bytes.len().checked_sub(32).ok_or(FileRefused::Damaged)?;
    if body_end < MAGIC.len() || Sha256::digest(&bytes[..body_end])[..] != bytes[body_end..] {
        return Err(FileRefused::Damaged);
    }
    let mut at = MAGIC.len();
    let mut envelopes = Vec::new();
    loop {
        if bytes[at..body_end].starts_with(END) && body_end - at == END.len() + 4 {
            let count = u32::from_be_bytes(bytes[at + 4..body_end].try_into().expect("4 bytes"));
            return match count as usize == envelopes.len() {
                true => Ok(envelopes),
                false => Err(FileRefused::Damaged),
            };
        }
        let len = bytes
            .get(at..at + 4)
            .filter(|_| at + 4 <= body_end)
            .map(|b| u32::from_be_bytes(b.try_into().expect("4 bytes")) as usize)
            .ok_or(FileRefused::Damaged)?;
        if len > MAX_FRAME || at + 4 + len > body_end {
            return Err(FileRefused::Damaged);
        }
        envelopes.push(&bytes[at + 4..at + 4 + len]);
        at += 4 + len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_round_trips_and_any_cut_or_change_is_refused() {
        let frames = vec![b"first".to_vec(), Vec::new(), b"third one".to_vec()];
        let file = write(&frames);
        let back: Vec<Vec<u8>> = read(&file)
            .unwrap()
            .into_iter()
            .map(<[u8]>::to_vec)
            .collect();
        assert_eq!(back, frames);
        for cut in 0..file.len() {
            assert!(read(&file[..cut]).is_err(), "cut at {cut}");
        }
        let mut changed = file.clone();
        changed[MAGIC.len() + 5] ^= 1;
        assert_eq!(read(&changed), Err(FileRefused::Damaged));
        assert_eq!(read(b"PK\x03\x04 a zip file"), Err(FileRefused::Foreign));
        assert_eq!(read(&write(&[])).unwrap().len(), 0);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// A file reads back as the envelopes written, and a file cut anywhere is refused.
        #[test]
        fn a_file_reads_back_whole_or_not_at_all(
            envelopes in proptest::collection::vec(proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200), 0..6),
            cut in 0usize..2000,
        ) {
            let bytes = write(&envelopes);
            let read_back: Vec<Vec<u8>> = read(&bytes).unwrap().into_iter().map(<[u8]>::to_vec).collect();
            proptest::prop_assert_eq!(&read_back, &envelopes);
            let cut = cut % bytes.len();
            proptest::prop_assert!(read(&bytes[..cut]).is_err());
        }

        /// Any bytes never panic.
        #[test]
        fn no_bytes_make_a_file_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..800)) {
            let _ = read(&bytes);
        }
    }
}
