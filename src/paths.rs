//! Where exhale keeps things, resolved once at start-up from the XDG base
//! directories (`$XDG_CONFIG_HOME`, `$XDG_DATA_HOME`) and passed down as
//! plain paths so tests can point everything at a temporary folder.

use std::path::{Path, PathBuf};

use etcetera::BaseStrategy as _;

/// The folders exhale reads and writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// `$XDG_CONFIG_HOME/exhale`: `config.toml`, `sessions/`, `sounds/`.
    pub config_dir: PathBuf,
    /// `$XDG_DATA_HOME/exhale`: the journal (`journal/`, and a version 1
    /// `journal.jsonl`).
    pub data_dir: PathBuf,
}

impl Paths {
    /// Resolve from the environment. Fails only when no home folder can be
    /// found at all.
    pub fn from_env() -> anyhow::Result<Self> {
        let base = etcetera::choose_base_strategy()
            .map_err(|e| anyhow::anyhow!("cannot find your home folder: {e}"))?;
        Ok(Self {
            config_dir: base.config_dir().join("exhale"),
            data_dir: base.data_dir().join("exhale"),
        })
    }

    /// Paths under one root folder (for tests).
    pub fn under(root: &Path) -> Self {
        Self {
            config_dir: root.join("config/exhale"),
            data_dir: root.join("data/exhale"),
        }
    }

    /// The user's own sessions.
    pub fn sessions_dir(&self) -> PathBuf {
        self.config_dir.join("sessions")
    }

    /// The user's own sounds.
    pub fn sounds_dir(&self) -> PathBuf {
        self.config_dir.join("sounds")
    }

    /// The user's voice packs, one folder each, beside the sounds folder
    /// (where [`crate::audio::SoundBank::load`] looks for them).
    pub fn voices_dir(&self) -> PathBuf {
        self.config_dir.join("voices")
    }

    /// The config file.
    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }
}
