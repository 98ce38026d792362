//! Reminders (docs/plans.md, "Reminders"): the unit files written into a
//! temporary `$XDG_CONFIG_HOME` (snapshotted, and checked by
//! `systemd-analyze verify` where it is installed), the calls a fake
//! user manager is asked to make, what a fake notifier is given on a
//! fixed journal and a fixed date, and `exhale remind` through the real
//! binary with `EXHALE_NO_SYSTEMD=1`, where it prints a crontab line.

use std::path::{Path, PathBuf};
use std::process::Output;

use chrono::{DateTime, FixedOffset};
use exhale::commands::remind::{RemindCommand, World, run};
use exhale::paths::Paths;
use exhale::remind::notice::Notice;
use exhale::remind::notifier::Recorder as Notes;
use exhale::remind::service::Recorder as Manager;
use exhale::remind::{Pause, parse_days, parse_time};

/// Wednesday 2 December 2026, 21:00.
fn wednesday_evening() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-12-02T21:00:00+01:00").expect("date")
}

/// The exhale binary: real, so `systemd-analyze verify` finds what
/// `ExecStart=` runs.
fn exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_exhale"))
}

struct Home {
    dir: tempfile::TempDir,
    paths: Paths,
    manager: Manager,
    notes: Notes,
    now: DateTime<FixedOffset>,
}

impl Home {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let paths = Paths::under(dir.path());
        Self {
            dir,
            paths,
            manager: Manager::default(),
            notes: Notes::default(),
            now: wednesday_evening(),
        }
    }

    fn run(&mut self, command: &RemindCommand) -> Result<String, exhale::exit::Failure> {
        let mut world = World {
            paths: &self.paths,
            now: self.now,
            exe: exe(),
            services: &mut self.manager,
            notifier: &mut self.notes,
        };
        run(&mut world, command)
    }

    fn ok(&mut self, command: &RemindCommand) -> String {
        self.run(command)
            .unwrap_or_else(|f| panic!("{command:?}: {}", f.message))
    }

    fn units(&self) -> PathBuf {
        self.dir.path().join("config/systemd/user")
    }

    fn store(&self) -> PathBuf {
        self.dir.path().join("config/exhale/reminders.toml")
    }

    /// A plan with one practice every day from Monday 30 November.
    fn plan(&self) {
        let dir = self.dir.path().join("config/exhale");
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(
            dir.join("plan.toml"),
            "title = \"Evenings\"\nfrom = 2026-11-30\nweeks = 4\n\n[[practice]]\nsession = \"extended-exhale\"\ndays = \"daily\"\nminutes = 5\nnote = \"After dinner, sitting up.\"\n",
        )
        .expect("write plan");
    }

    /// A journal with one session of `session` started at `started`.
    fn practised(&self, session: &str, started: &str) {
        let dir = self.dir.path().join("data/exhale/journal");
        std::fs::create_dir_all(&dir).expect("mkdir");
        let line = format!(
            r#"{{"v":2,"kind":"session","id":"0192f3a1-7c4e-7d2a-9b1f-3e5c8a6d2f10","machine":"test","started":"{started}","session":"{session}","title":"T","source_sha256":"00","planned_s":300,"practised_s":300,"ending":"completed"}}"#
        );
        std::fs::write(dir.join("test.jsonl"), format!("{line}\n")).expect("write journal");
    }
}

fn add(time: &str, days: Option<&str>, only: bool) -> RemindCommand {
    RemindCommand::Add {
        time: parse_time(time).expect("time"),
        days: days.map(|d| parse_days(d).expect("days")),
        only_if_not_done: only,
    }
}

fn notify(only: bool) -> RemindCommand {
    RemindCommand::Notify {
        only_if_not_done: only,
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The unit text with the binary's path, which differs between machines,
/// written as `/path/to/exhale`.
fn redacted(text: &str) -> String {
    text.replace(&exe().to_string_lossy().into_owned(), "/path/to/exhale")
}

#[test]
fn add_writes_a_timer_and_a_service_and_enables_the_timer() {
    let mut home = Home::new();
    let said = home.ok(&add("21:00", Some("mon,wed,fri"), true));
    assert!(
        said.starts_with("Reminder 1: 21:00 on Mon, Wed and Fri, unless today's plan is met.\n"),
        "{said}"
    );
    assert_eq!(
        home.manager.calls,
        ["daemon-reload", "enable --now exhale-remind-1.timer"]
    );
    let timer = home.units().join("exhale-remind-1.timer");
    let service = home.units().join("exhale-remind-1.service");
    insta::assert_snapshot!("timer", read(&timer));
    insta::assert_snapshot!("service", redacted(&read(&service)));
    assert!(read(&service).contains(&format!(
        "ExecStart={} remind notify --only-if-not-done\n",
        exe().display()
    )));

    // Every day, the next free number.
    home.ok(&add("7:30", None, false));
    let timer2 = read(&home.units().join("exhale-remind-2.timer"));
    assert!(timer2.contains("OnCalendar=*-*-* 07:30:00\n"), "{timer2}");
    let list = home.ok(&RemindCommand::List);
    assert_eq!(
        list,
        " 1  21:00 on Mon, Wed and Fri, unless today's plan is met  systemd timer exhale-remind-1.timer\n \
         2  07:30 every day                                        systemd timer exhale-remind-2.timer\n"
    );
}

#[test]
fn the_unit_files_pass_systemd_analyze_verify_where_it_is_installed() {
    let mut home = Home::new();
    home.ok(&add("21:00", Some("mon,wed,fri"), true));
    home.ok(&add("6:05", None, false));
    let files: Vec<PathBuf> = ["1.timer", "1.service", "2.timer", "2.service"]
        .iter()
        .map(|f| home.units().join(format!("exhale-remind-{f}")))
        .collect();
    let Ok(out) = std::process::Command::new("systemd-analyze")
        .arg("verify")
        .args(&files)
        .output()
    else {
        eprintln!("systemd-analyze is not installed: the unit files are not verified here");
        return;
    };
    assert!(
        out.status.success(),
        "systemd-analyze verify: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn remove_disables_the_timer_and_deletes_its_files() {
    let mut home = Home::new();
    home.ok(&add("21:00", None, false));
    home.manager.calls.clear();
    let said = home.ok(&RemindCommand::Remove { n: 1 });
    assert!(
        said.starts_with("Removed reminder 1 (21:00 every day)"),
        "{said}"
    );
    assert_eq!(
        home.manager.calls,
        ["disable --now exhale-remind-1.timer", "daemon-reload"]
    );
    assert!(!home.units().join("exhale-remind-1.timer").exists());
    assert!(!home.units().join("exhale-remind-1.service").exists());
    assert!(home.ok(&RemindCommand::List).starts_with("No reminders"));
    let f = home.run(&RemindCommand::Remove { n: 1 }).expect_err("gone");
    assert_eq!(f.code, 2);
    assert!(
        f.message.contains("there is no reminder number 1"),
        "{}",
        f.message
    );
}

#[test]
fn a_timer_that_cannot_be_enabled_leaves_nothing_behind() {
    let mut home = Home::new();
    home.manager.fail = Some("enable".into());
    let f = home.run(&add("21:00", None, false)).expect_err("fails");
    assert_eq!(f.code, 1);
    assert!(
        f.message.contains("the reminder was not set"),
        "{}",
        f.message
    );
    assert!(!home.units().join("exhale-remind-1.timer").exists());
    assert!(!home.units().join("exhale-remind-1.service").exists());
    assert!(!home.store().exists());
    assert_eq!(
        home.manager.calls,
        [
            "daemon-reload",
            "enable --now exhale-remind-1.timer",
            "daemon-reload"
        ]
    );
}

#[test]
fn without_a_user_manager_add_records_the_reminder_and_gives_the_crontab_line() {
    let mut home = Home::new();
    home.manager.absent = Some("no systemd user manager is running for you here.".into());
    let said = home.ok(&add("21:00", Some("fri,mon,sun"), true));
    assert!(
        said.contains("no systemd user manager is running for you here."),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "\n  0 21 * * 0,1,5 {} remind notify --only-if-not-done\n",
            exe().display()
        )),
        "{said}"
    );
    assert!(home.manager.calls.is_empty());
    assert!(!home.units().exists());
    assert!(home.ok(&RemindCommand::List).contains("a crontab line"));
    let removed = home.ok(&RemindCommand::Remove { n: 1 });
    assert!(removed.contains("crontab -e"), "{removed}");
    assert!(home.manager.calls.is_empty());
}

#[test]
fn the_notice_says_what_is_planned_today_and_keeps_quiet_once_it_is_done() {
    let mut home = Home::new();
    home.plan();
    // Practised on Tuesday only: today is still to come.
    home.practised("extended-exhale", "2026-12-01T20:00:00+01:00");
    home.ok(&notify(true));
    assert_eq!(
        home.notes.shown,
        [Notice {
            summary: "A moment to breathe".into(),
            body: "Planned for today: extended-exhale (5 min).\n\
                   Whenever it suits you: exhale run extended-exhale --minutes 5\n\
                   After dinner, sitting up."
                .into(),
        }]
    );
    // Practised this evening: --only-if-not-done says nothing, and
    // without it the reminder only says the day's practice is done.
    home.notes.shown.clear();
    home.practised("extended-exhale", "2026-12-02T19:30:00+01:00");
    let said = home.ok(&notify(true));
    assert_eq!(
        said,
        "Nothing to show: nothing planned for today is left to do.\n"
    );
    assert!(home.notes.shown.is_empty());
    home.ok(&notify(false));
    assert_eq!(home.notes.shown.len(), 1);
    assert!(
        home.notes.shown[0]
            .body
            .starts_with("Today's practice is done.")
    );
}

#[test]
fn a_session_after_midnight_counts_for_the_day_before() {
    let mut home = Home::new();
    home.plan();
    // 1:30 on Thursday counts for Wednesday (days start at 4 a.m.).
    home.practised("extended-exhale", "2026-12-03T01:30:00+01:00");
    home.now = DateTime::parse_from_rfc3339("2026-12-03T02:00:00+01:00").expect("date");
    home.ok(&notify(true));
    assert!(home.notes.shown.is_empty());
}

#[test]
fn without_a_plan_the_notice_is_a_gentle_word_and_quiet_after_any_practice() {
    let mut home = Home::new();
    home.ok(&notify(true));
    assert_eq!(
        home.notes.shown[0].body,
        "A few minutes of breathing, whenever it suits you: exhale now"
    );
    home.notes.shown.clear();
    home.practised("box", "2026-12-02T08:00:00+01:00");
    home.ok(&notify(true));
    assert!(home.notes.shown.is_empty());
}

#[test]
fn a_pause_keeps_every_reminder_quiet_until_it_ends_or_is_lifted() {
    let mut home = Home::new();
    home.ok(&add("21:00", None, false));
    let said = home.ok(&RemindCommand::Pause {
        length: Pause::For(chrono::TimeDelta::days(3)),
    });
    assert_eq!(
        said,
        "Reminders are paused until Sat 5 Dec at 21:00; `exhale remind resume` resumes them sooner.\n"
    );
    assert!(
        home.ok(&RemindCommand::List)
            .contains("Paused until Sat 5 Dec at 21:00")
    );
    assert_eq!(
        home.ok(&notify(false)),
        "Nothing to show: reminders are paused.\n"
    );
    assert!(home.notes.shown.is_empty());
    // Three days on, the pause is over by itself.
    home.now += chrono::TimeDelta::days(3);
    home.ok(&notify(false));
    assert_eq!(home.notes.shown.len(), 1);
    // Paused again, then resumed by hand.
    home.ok(&RemindCommand::Pause {
        length: Pause::For(chrono::TimeDelta::hours(12)),
    });
    assert_eq!(home.ok(&RemindCommand::Resume), "Reminders are on again.\n");
    home.ok(&notify(false));
    assert_eq!(home.notes.shown.len(), 2);
    assert_eq!(
        home.ok(&RemindCommand::Resume),
        "Reminders were not paused; nothing was changed.\n"
    );
}

// The real binary, with systemd left alone.

fn exhale(home: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_exhale"))
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("EXHALE_NO_SYSTEMD", "1")
        .env("NO_COLOR", "1")
        .output()
        .expect("runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn the_command_line_adds_lists_pauses_and_removes_with_a_crontab_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let home = dir.path();
    let out = exhale(home, &["remind", "list"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("No reminders: they are off until you add one"));

    let out = exhale(
        home,
        &[
            "remind",
            "add",
            "21:00",
            "--days",
            "mon,wed,fri",
            "--only-if-not-done",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.contains("EXHALE_NO_SYSTEMD=1 is set, so exhale leaves systemd alone."),
        "{said}"
    );
    assert!(
        said.contains(" 0 21 * * 1,3,5 ")
            && said.contains("exhale remind notify --only-if-not-done"),
        "{said}"
    );
    assert!(!home.join("config/systemd").exists());
    let stored = read(&home.join("config/exhale/reminders.toml"));
    assert!(
        stored.contains("time = \"21:00\"\ndays = [\"mon\", \"wed\", \"fri\"]"),
        "{stored}"
    );

    let out = exhale(home, &["remind", "list"]);
    assert!(
        text(&out.stdout)
            .contains(" 1  21:00 on Mon, Wed and Fri, unless today's plan is met  a crontab line"),
        "{}",
        text(&out.stdout)
    );
    let out = exhale(home, &["remind", "pause", "3d"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("Reminders are paused until "));
    let out = exhale(home, &["remind", "pause", "off"]);
    assert_eq!(text(&out.stdout), "Reminders are on again.\n");
    let out = exhale(home, &["remind", "remove", "1"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("crontab -e"));
    let out = exhale(home, &["remind", "list"]);
    assert!(text(&out.stdout).starts_with("No reminders"));
}

#[test]
fn bad_times_days_and_lengths_are_bad_usage_with_a_clear_word() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (args, says) in [
        (&["remind", "add", "25:00"][..], "not a time of day"),
        (&["remind", "add", "9pm"][..], "HH:MM"),
        (
            &["remind", "add", "21:00", "--days", "mon,thurs"][..],
            "did you mean `thu",
        ),
        (&["remind", "pause", "3 days"][..], "not a length of time"),
        (&["remind", "pause", "500d"][..], "longer than a year"),
        (&["remind", "remove", "x"][..], "invalid digit"),
        (
            &["remind", "remove", "4"][..],
            "there is no reminder number 4",
        ),
    ] {
        let out = exhale(dir.path(), args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains(says),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(!text(&out.stderr).contains("panicked"));
    }
    assert!(!dir.path().join("config/exhale/reminders.toml").exists());
}

#[test]
fn a_broken_reminders_file_is_named_with_its_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("config/exhale/reminders.toml");
    std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
    std::fs::write(
        &file,
        "[[reminder]]\nid = 1\ntime = \"21:00\"\ndays = [\"mon\", \"funday\"]\nvia = \"cron\"\n",
    )
    .expect("write");
    for args in [
        &["remind", "list"][..],
        &["remind", "add", "8:00"],
        &["remind", "notify"],
    ] {
        let out = exhale(dir.path(), args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.contains(&format!("{}:4:8", file.display())),
            "{args:?}: {err}"
        );
        assert!(err.contains("`funday` is not a day"), "{err}");
    }
}
