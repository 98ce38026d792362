//! Showing a [`Notice`] on the desktop, behind [`Notifier`]: the real
//! one sends it to the session's notification server over D-Bus with
//! `notify-rust` (its pure-Rust `zbus` backend, so building needs no
//! system headers); [`Recorder`] is the fake the tests use. The
//! notification has no actions: clicking it opens nothing.

use super::notice::Notice;

/// Something that shows notices.
pub trait Notifier {
    /// Show `notice`; what went wrong, in words, if it could not be shown.
    fn show(&mut self, notice: &Notice) -> Result<(), String>;
}

/// The desktop's notification server, through the session D-Bus.
#[derive(Debug, Default, Clone, Copy)]
pub struct Desktop;

impl Notifier for Desktop {
    fn show(&mut self, notice: &Notice) -> Result<(), String> {
        notify_rust::Notification::new()
            .appname("exhale")
            .summary(&notice.summary)
            .body(&notice.body)
            .show()
            .map(|_| ())
            .map_err(|e| format!("the notification could not be shown: {e}"))
    }
}

/// A fake that keeps every notice it is given (tests).
#[derive(Debug, Default, Clone)]
pub struct Recorder {
    /// What was shown, in order.
    pub shown: Vec<Notice>,
}

impl Notifier for Recorder {
    fn show(&mut self, notice: &Notice) -> Result<(), String> {
        self.shown.push(notice.clone());
        Ok(())
    }
}
