//! Reading a file the user points exhale at, without trusting what it is.
//!
//! Only regular files are read: a named pipe (FIFO) would block until
//! someone writes to it, and a device such as `/dev/zero` never ends. The
//! path is looked at before it is opened (so a device is never opened at
//! all), opened without blocking, and looked at again through the open
//! file (so a path swapped in between is still caught). Text files are read
//! up to a stated size and refused past it. Sessions, the library, the
//! config file, `new --from` and sounds all open files here, so they refuse
//! the same things in the same words.

use std::fs::{File, Metadata};
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};

use super::diagnostic::Diagnostic;

/// The most of one kind of text file exhale reads, and what to call it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cap {
    /// Largest size accepted, in bytes.
    pub bytes: u64,
    /// The kind of file, for messages: "a session file".
    pub what: &'static str,
    /// What such a file usually is, to say when one is far too large.
    pub usual: &'static str,
}

impl Cap {
    /// The size in words: `1 MiB`, `256 KiB`.
    pub fn shown(&self) -> String {
        const KIB: u64 = 1024;
        if self.bytes >= KIB * KIB && self.bytes % (KIB * KIB) == 0 {
            format!("{} MiB", self.bytes / (KIB * KIB))
        } else if self.bytes >= KIB && self.bytes % KIB == 0 {
            format!("{} KiB", self.bytes / KIB)
        } else {
            format!("{} bytes", self.bytes)
        }
    }
}

/// A session file: a few kilobytes, 1 MiB at most.
pub const SESSION_FILE: Cap = Cap {
    bytes: 1024 * 1024,
    what: "a session file",
    usual: "a session file is a few kilobytes",
};

/// The config file: a few lines, 256 KiB at most.
pub const CONFIG_FILE: Cap = Cap {
    bytes: 256 * 1024,
    what: "a config file",
    usual: "a config file is a few lines",
};

/// What a path is when it is not a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A directory.
    Folder,
    /// A named pipe (FIFO).
    NamedPipe,
    /// A character device (`/dev/zero`, a terminal).
    CharDevice,
    /// A block device (a disk).
    BlockDevice,
    /// A Unix socket.
    Socket,
    /// Anything else that is not a regular file.
    Other,
}

impl Kind {
    /// The kind with an article: "a named pipe (FIFO)".
    pub fn words(self) -> &'static str {
        match self {
            Kind::Folder => "a folder",
            Kind::NamedPipe => "a named pipe (FIFO)",
            Kind::CharDevice => "a character device",
            Kind::BlockDevice => "a block device",
            Kind::Socket => "a socket",
            Kind::Other => "a special file",
        }
    }

    /// What `meta` is, or `None` for a regular file.
    pub fn of(meta: &Metadata) -> Option<Kind> {
        let t = meta.file_type();
        if t.is_file() {
            return None;
        }
        if t.is_dir() {
            return Some(Kind::Folder);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt as _;
            if t.is_fifo() {
                return Some(Kind::NamedPipe);
            }
            if t.is_char_device() {
                return Some(Kind::CharDevice);
            }
            if t.is_block_device() {
                return Some(Kind::BlockDevice);
            }
            if t.is_socket() {
                return Some(Kind::Socket);
            }
        }
        Some(Kind::Other)
    }
}

/// Why a file was not read. The text says what is wrong without the path,
/// which the caller shows (in a diagnostic's `-->` line, or before it).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Nothing at that path.
    #[error("cannot open the file: there is no such file")]
    NotFound,
    /// A symbolic link whose target does not exist.
    #[error("this is a link to {}, which does not exist", target.display())]
    BrokenLink {
        /// Where the link points.
        target: PathBuf,
    },
    /// A folder, pipe, device or socket.
    #[error("{}", not_regular(*kind, link.as_deref()))]
    NotRegular {
        /// What it is.
        kind: Kind,
        /// Where the path leads, when it is a symbolic link.
        link: Option<PathBuf>,
    },
    /// Larger than the cap.
    #[error("the file is larger than {}, the most {} may be", cap.shown(), cap.what)]
    TooLarge {
        /// The cap it went over.
        cap: Cap,
    },
    /// Opening or reading failed (permission denied, an I/O error).
    #[error("cannot read the file: {}", io_words(.0))]
    Io(io::Error),
}

fn not_regular(kind: Kind, link: Option<&Path>) -> String {
    match (kind, link) {
        (Kind::Folder, None) => "this is a folder, not a file".into(),
        (k, None) => format!("this is {}, not a regular file", k.words()),
        (k, Some(target)) => format!(
            "this is a link to {}, which is {}, not a regular file",
            target.display(),
            k.words()
        ),
    }
}

/// An I/O error in words: "permission denied", not "Permission denied
/// (os error 13)".
fn io_words(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = e.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text).to_owned();
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => text,
            }
        }
    }
}

impl ReadError {
    fn from_io(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::NotFound {
            ReadError::NotFound
        } else {
            ReadError::Io(e)
        }
    }

    /// Whether there is simply no file there (a broken link is not that:
    /// someone meant a file to be there).
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::NotFound)
    }

    /// The same as words that follow a subject ("sound `x` ..."): "is a
    /// named pipe (FIFO), not a regular file", "cannot be read: permission
    /// denied".
    pub fn predicate(&self) -> String {
        match self {
            ReadError::NotFound => "does not exist".into(),
            ReadError::BrokenLink { target } => {
                format!("is a link to {}, which does not exist", target.display())
            }
            ReadError::NotRegular { kind, link: None } if *kind == Kind::Folder => {
                "is a folder, not a file".into()
            }
            ReadError::NotRegular { kind, link: None } => {
                format!("is {}, not a regular file", kind.words())
            }
            ReadError::NotRegular {
                kind,
                link: Some(target),
            } => format!(
                "is a link to {}, which is {}, not a regular file",
                target.display(),
                kind.words()
            ),
            ReadError::TooLarge { cap } => {
                format!(
                    "is larger than {}, the most {} may be",
                    cap.shown(),
                    cap.what
                )
            }
            ReadError::Io(e) => format!("cannot be read: {}", io_words(e)),
        }
    }

    /// What to do about it.
    pub fn help(&self) -> String {
        match self {
            ReadError::NotFound => "check the path".into(),
            ReadError::BrokenLink { .. } => {
                "point the link at an existing file, or remove it".into()
            }
            ReadError::NotRegular {
                kind: Kind::Folder, ..
            } => "give the path of a file, not a folder".into(),
            ReadError::NotRegular { .. } => {
                "exhale reads only regular files, since a pipe or a device may \
                 never end: save the text to a file and give that file's path"
                    .into()
            }
            ReadError::TooLarge { cap } => format!("{}; is this the right file?", cap.usual),
            ReadError::Io(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                "make the file readable for your user (chmod u+r), or give another file".into()
            }
            ReadError::Io(_) => "check that the file is one you may read".into(),
        }
    }

    /// The error as a diagnostic about the whole file.
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::error(self.to_string(), None).with_help(self.help())
    }
}

/// Where `path` leads when it is a symbolic link.
fn link_target(path: &Path) -> Option<PathBuf> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_symlink() {
        return None;
    }
    // The fully resolved target says more than one step of the link
    // (`/dev/zero`, not `../zero`); a loop or a missing part has none.
    std::fs::canonicalize(path)
        .ok()
        .or_else(|| std::fs::read_link(path).ok())
}

fn refuse_unless_regular(path: &Path, meta: &Metadata) -> Result<(), ReadError> {
    match Kind::of(meta) {
        None => Ok(()),
        Some(kind) => Err(ReadError::NotRegular {
            kind,
            link: link_target(path),
        }),
    }
}

/// Open `path` for reading if, and only if, it is a regular file (a
/// symbolic link to one is fine). Never blocks.
pub fn open_regular(path: &Path) -> Result<File, ReadError> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(match std::fs::read_link(path) {
                Ok(target) => ReadError::BrokenLink { target },
                Err(_) => ReadError::NotFound,
            });
        }
        Err(e) => return Err(ReadError::from_io(e)),
    };
    refuse_unless_regular(path, &meta)?;
    let file = open_nonblocking(path).map_err(ReadError::from_io)?;
    // The path may have been replaced since it was looked at: trust only
    // what was opened.
    let meta = file.metadata().map_err(ReadError::from_io)?;
    refuse_unless_regular(path, &meta)?;
    Ok(file)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    // O_NONBLOCK: a FIFO put in place after the first look opens at once
    // instead of waiting for a writer (and is then refused). It changes
    // nothing for a regular file. O_NOCTTY: a terminal never becomes ours.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Read a whole regular file of at most `cap.bytes`. A larger file is
/// refused without being read past the cap.
pub fn read_capped(path: &Path, cap: Cap) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path)?;
    if file.metadata().is_ok_and(|m| m.len() > cap.bytes) {
        return Err(ReadError::TooLarge { cap });
    }
    let mut bytes = Vec::new();
    // One byte more than allowed: a file that grew since it was looked at
    // is still caught.
    file.take(cap.bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::from_io)?;
    if bytes.len() as u64 > cap.bytes {
        return Err(ReadError::TooLarge { cap });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read_and_a_larger_one_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.toml");
        std::fs::write(&path, b"12345").expect("write");
        let cap = Cap {
            bytes: 5,
            what: "a test file",
            usual: "tiny",
        };
        assert_eq!(read_capped(&path, cap).expect("read"), b"12345");
        std::fs::write(&path, b"123456").expect("write");
        let e = read_capped(&path, cap).expect_err("too large");
        assert_eq!(
            e.to_string(),
            "the file is larger than 5 bytes, the most a test file may be"
        );
        assert_eq!(e.help(), "tiny; is this the right file?");
    }

    #[test]
    fn sizes_are_shown_in_the_largest_whole_unit() {
        assert_eq!(SESSION_FILE.shown(), "1 MiB");
        assert_eq!(CONFIG_FILE.shown(), "256 KiB");
    }

    #[test]
    fn folders_devices_and_links_to_them_are_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let e = read_capped(dir.path(), SESSION_FILE).expect_err("a folder");
        assert_eq!(e.to_string(), "this is a folder, not a file");
        let e = read_capped(Path::new("/dev/null"), SESSION_FILE).expect_err("a device");
        assert_eq!(
            e.to_string(),
            "this is a character device, not a regular file"
        );
        let link = dir.path().join("zero.toml");
        std::os::unix::fs::symlink("/dev/zero", &link).expect("symlink");
        let e = read_capped(&link, SESSION_FILE).expect_err("a link to a device");
        assert_eq!(
            e.to_string(),
            "this is a link to /dev/zero, which is a character device, not a regular file"
        );
        assert!(e.help().contains("save the text to a file"), "{}", e.help());
    }

    #[test]
    fn a_missing_file_and_a_broken_link_are_told_apart() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("missing.toml");
        assert!(
            read_capped(&missing, SESSION_FILE)
                .expect_err("missing")
                .is_not_found()
        );
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink(&missing, &link).expect("symlink");
        let e = read_capped(&link, SESSION_FILE).expect_err("broken");
        assert!(!e.is_not_found());
        assert_eq!(
            e.to_string(),
            format!(
                "this is a link to {}, which does not exist",
                missing.display()
            )
        );
    }

    #[test]
    fn io_errors_read_as_words() {
        let e = ReadError::Io(io::Error::from(io::ErrorKind::PermissionDenied));
        assert_eq!(e.to_string(), "cannot read the file: permission denied");
        assert!(e.help().contains("chmod u+r"));
    }
}
