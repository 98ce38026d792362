//! systemd's user manager, behind [`ServiceManager`]: whether there is
//! one, and `systemctl --user` to reload and enable or disable units. The
//! real one runs `systemctl`; [`Recorder`] is the fake the tests use, so
//! no test ever touches the user's own timers. [`install`] and
//! [`uninstall`] write or remove a reminder's unit files and tell the
//! manager.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::Reminder;
use super::store::write_replacing;
use super::unit;

/// The variable that keeps exhale away from systemd: with it set to 1,
/// `exhale remind add` prints a crontab line instead (for a computer
/// where cron is preferred, and for tests).
pub const NO_SYSTEMD_VAR: &str = "EXHALE_NO_SYSTEMD";

/// Whether a systemd user manager is there to run timers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presence {
    /// There is one.
    Running,
    /// There is none, and why, in one sentence to show the user.
    Absent(String),
}

/// systemd's user manager.
pub trait ServiceManager {
    /// Whether there is a user manager to run timers.
    fn presence(&mut self) -> Presence;

    /// Run `systemctl --user ARGS`; its error output on failure.
    fn systemctl(&mut self, args: &[&str]) -> Result<(), String>;
}

/// The real user manager, through `systemctl --user`.
#[derive(Debug, Clone)]
pub struct Systemctl {
    /// `$XDG_RUNTIME_DIR`, where a running user manager has its socket.
    pub runtime_dir: Option<PathBuf>,
    /// [`NO_SYSTEMD_VAR`] is set.
    pub refused: bool,
}

impl Systemctl {
    /// From the environment.
    pub fn from_env() -> Self {
        Self {
            runtime_dir: std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from),
            refused: std::env::var_os(NO_SYSTEMD_VAR).is_some_and(|v| v == "1"),
        }
    }
}

impl ServiceManager for Systemctl {
    fn presence(&mut self) -> Presence {
        if self.refused {
            return Presence::Absent(format!(
                "{NO_SYSTEMD_VAR}=1 is set, so exhale leaves systemd alone."
            ));
        }
        // A running user manager listens here; asking systemctl is the
        // fallback for a manager whose socket lives elsewhere.
        if self
            .runtime_dir
            .as_ref()
            .is_some_and(|d| d.join("systemd/private").exists())
        {
            return Presence::Running;
        }
        match Command::new("systemctl")
            .args(["--user", "is-system-running"])
            .stdin(Stdio::null())
            .output()
        {
            Err(_) => Presence::Absent(
                "systemctl is not installed here, so there are no systemd timers to use.".into(),
            ),
            Ok(out) => {
                let state = String::from_utf8_lossy(&out.stdout).trim().to_owned();
                if matches!(
                    state.as_str(),
                    "running" | "degraded" | "starting" | "initializing"
                ) {
                    Presence::Running
                } else {
                    Presence::Absent("no systemd user manager is running for you here, so there is no user timer to set.".into())
                }
            }
        }
    }

    fn systemctl(&mut self, args: &[&str]) -> Result<(), String> {
        let out = Command::new("systemctl")
            .arg("--user")
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run systemctl: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            let err = String::from_utf8_lossy(&out.stderr).trim().to_owned();
            Err(format!(
                "`systemctl --user {}` failed: {err}",
                args.join(" ")
            ))
        }
    }
}

/// A fake user manager that records what it is asked (tests).
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    /// What [`ServiceManager::presence`] answers; `None` is
    /// [`Presence::Running`].
    pub absent: Option<String>,
    /// Every `systemctl --user` call, its arguments joined by spaces.
    pub calls: Vec<String>,
    /// A call that fails: when a call starts with this.
    pub fail: Option<String>,
}

impl ServiceManager for Recorder {
    fn presence(&mut self) -> Presence {
        self.absent
            .clone()
            .map_or(Presence::Running, Presence::Absent)
    }

    fn systemctl(&mut self, args: &[&str]) -> Result<(), String> {
        let call = args.join(" ");
        self.calls.push(call.clone());
        match &self.fail {
            Some(f) if call.starts_with(f.as_str()) => Err(format!("`{call}` failed (a test)")),
            _ => Ok(()),
        }
    }
}

/// The folder systemd reads the user's own units from, beside exhale's
/// config folder: `$XDG_CONFIG_HOME/systemd/user`.
pub fn units_dir(config_dir: &Path) -> PathBuf {
    config_dir
        .parent()
        .unwrap_or(config_dir)
        .join("systemd")
        .join("user")
}

/// Write the reminder's timer and service into `units_dir` and enable
/// the timer. On failure, the files written are removed again, so a
/// reminder is either set or not there at all. The unit files on success.
pub fn install(
    units_dir: &Path,
    r: &Reminder,
    exe: &Path,
    manager: &mut dyn ServiceManager,
) -> Result<[PathBuf; 2], String> {
    let timer = units_dir.join(unit::timer_name(r.id));
    let service = units_dir.join(unit::service_name(r.id));
    let undo = |manager: &mut dyn ServiceManager| {
        let _ = std::fs::remove_file(&timer);
        let _ = std::fs::remove_file(&service);
        let _ = manager.systemctl(&["daemon-reload"]);
    };
    let written = write_replacing(&service, &unit::service_text(r, exe))
        .and_then(|()| write_replacing(&timer, &unit::timer_text(r)));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&timer);
        let _ = std::fs::remove_file(&service);
        return Err(e);
    }
    let name = unit::timer_name(r.id);
    if let Err(e) = manager
        .systemctl(&["daemon-reload"])
        .and_then(|()| manager.systemctl(&["enable", "--now", &name]))
    {
        undo(manager);
        return Err(e);
    }
    Ok([timer, service])
}

/// Disable reminder `id`'s timer and delete its files. A timer systemd no
/// longer knows is not an error: the files go all the same.
pub fn uninstall(units_dir: &Path, id: u32, manager: &mut dyn ServiceManager) -> Vec<String> {
    let mut notes = Vec::new();
    let name = unit::timer_name(id);
    if let Err(e) = manager.systemctl(&["disable", "--now", &name]) {
        notes.push(e);
    }
    for f in [unit::timer_name(id), unit::service_name(id)] {
        let path = units_dir.join(f);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => notes.push(format!("cannot delete {}: {e}", path.display())),
        }
    }
    if let Err(e) = manager.systemctl(&["daemon-reload"]) {
        notes.push(e);
    }
    notes
}
