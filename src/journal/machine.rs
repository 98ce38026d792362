//! Which machine is writing: the name of its own journal file
//! (`journal/<machine>.jsonl`) and the `machine` of every record it writes.
//!
//! A name given by the user (`[journal] machine = "laptop"`, or
//! `EXHALE_MACHINE`) comes first. Otherwise the name is derived from the
//! system's machine id (`/etc/machine-id`), hashed with a fixed salt so the
//! raw value never leaves the file it is in, and when there is none, a
//! random id is made once and kept in the data folder (`machine-id`).

use std::fs;
use std::io::{self, Write as _};
use std::path::Path;

use sha2::{Digest as _, Sha256};

/// Salt of the hash of the system's machine id: the id stays on this
/// computer, and other programs hashing it get other values.
const SALT: &[u8] = b"exhale journal machine\n";

/// Where the system keeps its machine id (systemd and most distributions;
/// D-Bus's copy as a fallback).
pub const SYSTEM_IDS: &[&str] = &["/etc/machine-id", "/var/lib/dbus/machine-id"];

/// The file in the data folder that keeps a random id when the system has
/// none.
pub const FALLBACK_FILE: &str = "machine-id";

pub use crate::config::{
    MAX_MACHINE_NAME as MAX_NAME, check_machine as check, valid_machine as valid,
};

/// The machine name derived from the contents of a system machine id:
/// 16 hex digits of a salted SHA-256. `None` when it holds no id.
pub fn from_system_id(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let digest = Sha256::new()
        .chain_update(SALT)
        .chain_update(raw)
        .finalize();
    Some(to_hex(&digest[..8]))
}

/// This machine's name when none is given: from the system's machine id,
/// else from the random id kept in `data_dir` (made there on first use,
/// owner-only). `read_system` reads one of [`SYSTEM_IDS`] (tests pass
/// their own).
pub fn derive(
    data_dir: &Path,
    read_system: &dyn Fn(&str) -> Option<String>,
    random: &dyn Fn() -> [u8; 8],
) -> io::Result<String> {
    if let Some(name) = SYSTEM_IDS
        .iter()
        .find_map(|p| read_system(p).and_then(|raw| from_system_id(&raw)))
    {
        return Ok(name);
    }
    let path = data_dir.join(FALLBACK_FILE);
    if let Some(name) = read_kept(&path) {
        return Ok(name);
    }
    fs::create_dir_all(data_dir)?;
    let name = to_hex(&random());
    let mut o = super::store::owner_only();
    o.write(true).create_new(true);
    match o.open(&path) {
        Ok(mut f) => {
            f.write_all(format!("{name}\n").as_bytes())?;
            f.sync_data()?;
            Ok(name)
        }
        // Another copy of exhale made it first: use its id.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            read_kept(&path).ok_or_else(|| io::Error::other("the machine id file is empty"))
        }
        Err(e) => Err(e),
    }
}

fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn read_kept(path: &Path) -> Option<String> {
    let text = fs::read_to_string(path).ok()?;
    let name = text.trim();
    valid(name).then(|| name.to_owned())
}

/// Read a system machine id file (small; at most 1 KiB is read).
pub fn read_system_file(path: &str) -> Option<String> {
    use std::io::Read as _;
    let mut s = String::new();
    fs::File::open(path)
        .ok()?
        .take(1024)
        .read_to_string(&mut s)
        .ok()?;
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_one_file_safe_word() {
        for ok in ["laptop", "desk-2", "A_b", "7"] {
            assert!(valid(ok), "{ok}");
        }
        for bad in [
            "",
            "my laptop",
            "../x",
            "a/b",
            ".hidden",
            "-x",
            "laptöp",
            "a.b",
        ] {
            assert!(!valid(bad), "{bad}");
        }
        assert!(!valid(&"x".repeat(MAX_NAME + 1)));
        assert!(check("a b").expect_err("bad").contains("one word"));
    }

    #[test]
    fn the_system_id_is_hashed_never_shown() {
        let raw = "4c4c4544003957108052b4c04f384d32\n";
        let name = from_system_id(raw).expect("an id");
        assert_eq!(name.len(), 16);
        assert!(valid(&name));
        assert!(!raw.contains(&name) && !name.contains(&raw[..8]));
        assert_eq!(from_system_id(raw), Some(name));
        assert_eq!(from_system_id("  \n"), None);
    }

    #[test]
    fn without_a_system_id_a_random_one_is_made_once_and_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let none = |_: &str| None;
        let first = derive(dir.path(), &none, &|| [0xab; 8]).expect("made");
        assert_eq!(first, "abababababababab");
        let again = derive(dir.path(), &none, &|| [0x01; 8]).expect("kept");
        assert_eq!(again, first);
        let with_system = derive(dir.path(), &|_| Some("1234".into()), &|| [0; 8]).expect("sys");
        assert_eq!(with_system, from_system_id("1234").expect("id"));
    }
}
