//! The command line: argument parsing with clap and dispatch to the
//! commands. Exit codes (see [`crate::exit`]): 0 success, 1 invalid
//! input (a bad session, config or journal), 2 bad usage (clap's own), 3
//! a session that ran but could not be saved, 128 + n when signal n
//! ended exhale (130 for Ctrl-C).

use std::process::ExitCode;

use clap::{CommandFactory as _, Parser, Subcommand, ValueHint};

use crate::commands;
use crate::exit;
use crate::paths::Paths;

/// Examples of use: the command, and what it does. Shown at the end of
/// `--help` and in the manual page.
pub const EXAMPLES: &[(&str, &str)] = &[
    ("exhale", "open the session picker"),
    ("exhale run sigh", "five minutes of cyclic sighing"),
    (
        "exhale run box --plain",
        "one line per event, for screen readers and scripts",
    ),
    (
        "exhale show 478",
        "what a session does, before you start it",
    ),
    ("exhale new evening", "write your own session"),
    ("exhale stats", "how your practice is going"),
    (
        "exhale remind add 21:00",
        "a gentle reminder each evening (exhale remind --help)",
    ),
    (
        "exhale checkin",
        "a check-in with no session, for the journal",
    ),
];

/// The files exhale reads and writes, and what each holds.
pub const FILES: &[(&str, &str)] = &[
    (
        "$XDG_CONFIG_HOME/exhale/config.toml",
        "settings (exhale help config)",
    ),
    (
        "$XDG_CONFIG_HOME/exhale/plan.toml",
        "your practice plan (docs/plans.md)",
    ),
    (
        "$XDG_CONFIG_HOME/exhale/reminders.toml",
        "your reminders (exhale remind list)",
    ),
    (
        "$XDG_CONFIG_HOME/systemd/user/",
        "the reminders' timers, exhale-remind-N.timer and .service",
    ),
    ("$XDG_CONFIG_HOME/exhale/sessions/", "your sessions"),
    ("$XDG_CONFIG_HOME/exhale/sounds/", "your sounds"),
    (
        "$XDG_DATA_HOME/exhale/journal/",
        "your journal, one file per computer (exhale help journal)",
    ),
];

/// The exit codes (see [`crate::exit`]) and what each means.
pub const EXIT_CODES: &[(&str, &str)] = &[
    ("0", "done"),
    ("1", "invalid input"),
    ("2", "bad usage"),
    ("3", "the session ran but could not be saved to the journal"),
    (
        "128+n",
        "a signal ended exhale (130 Ctrl-C, 129 the terminal closed, 143 SIGTERM); the session is recorded first",
    ),
];

/// The end of `--help`: examples, files, the environment, exit codes.
fn after_help() -> String {
    let mut s = String::from("Examples:\n");
    for (cmd, what) in EXAMPLES {
        s.push_str(&format!("  {cmd:<28} {what}\n"));
    }
    s.push_str("\nFiles:\n");
    for (file, what) in FILES {
        s.push_str(&format!("  {file:<39} {what}\n"));
    }
    s.push_str("\nGuides: exhale help format (session files, every key), exhale help config, exhale help journal.\n");
    s.push_str("\nNO_COLOR turns colour off. EXHALE_JOURNAL_DIR and EXHALE_MACHINE set the journal's sync folder and this computer's name in it ([journal] folder and machine). EXHALE_NO_SYSTEMD=1 makes `exhale remind add` print a crontab line instead of writing a systemd timer.\n\nExit codes: ");
    let codes: Vec<String> = EXIT_CODES
        .iter()
        .map(|(code, what)| format!("{code} {what}"))
        .collect();
    s.push_str(&codes.join(", "));
    s.push('.');
    s
}

/// Guided breathwork and meditation in the terminal.
#[derive(Debug, Parser)]
#[command(
    name = "exhale",
    version,
    about = "Guided breathwork and meditation in the terminal",
    long_about = "Guided breathwork and meditation in the terminal.\n\n\
        Run without a command to open the session picker. Sessions are TOML files: \
        the built-in ones are embedded, your own live in $XDG_CONFIG_HOME/exhale/sessions/.\n\n\
        exhale is not a treatment. In a crisis, contact your local emergency services or a crisis line.",
    after_help = after_help()
)]
pub struct Cli {
    /// What to do; without one, the picker opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a session: the full-screen guide, or one line per event with --plain.
    #[command(
        after_help = "Ending: q asks \"Stop here?\", then how it went (in plain mode: q and Enter). \
            Ctrl-C, a signal or closing the window ends exhale at once: the session so far is \
            recorded with every answer already given, the terminal is given back, and the exit \
            code is 128 + the signal's number (130 for Ctrl-C, 129 for a closed window).\n\n\
            Exit codes: 0 done, 1 invalid input, 2 bad usage, 3 the session ran but could not be \
            saved to the journal, 128+n a signal ended it."
    )]
    Run(commands::run::RunArgs),
    /// List every session: built-in and your own.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show a session's timeline: blocks, phases, breaths a minute, length, cautions.
    Show {
        /// A session name (see `exhale list`) or a path to a .toml file.
        session: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Show it as `exhale run --cycles N` would run it.
        #[arg(long, value_name = "N", conflicts_with = "minutes", value_parser = clap::value_parser!(u32).range(1..=i64::from(crate::format::limits::MAX_CYCLES)))]
        cycles: Option<u32>,
        /// Show it as `exhale run --minutes M` would run it, and what that
        /// leaves out (prompts and bells past a new end).
        #[arg(long, value_name = "M", value_parser = commands::run::parse_minutes)]
        minutes: Option<f64>,
    },
    /// Check session files; exit 0 if all are valid, 1 if any is not.
    Check {
        /// Session files to check.
        #[arg(required = true, value_name = "FILE", value_hint = ValueHint::FilePath)]
        files: Vec<std::path::PathBuf>,
    },
    /// The sessions you have practised, newest first, with check-ins and notes.
    History(commands::journal::HistoryArgs),
    /// Minutes per week, days practised, check-in changes and hold trends.
    Stats(commands::journal::StatsArgs),
    /// Export the journal: a one-page Markdown summary, CSV or JSON.
    Export(commands::journal::ExportArgs),
    /// Look after the journal: notes, removals, sync status, backups, imports.
    #[command(
        long_about = "Look after the journal. Each computer writes only its own file, \
            journal/<machine>.jsonl, in the data folder or in a folder a sync tool shares \
            ([journal] folder, or EXHALE_JOURNAL_DIR); reading takes every file there, each entry once. \
            Nothing here changes or deletes a line already written: a new note or a removal is a record of its own.",
        after_help = "Examples:\n  exhale journal status\n  exhale journal note 3fa9c2d1 \"calmer after the long exhales\"\n  exhale journal remove 3fa9c2d1\n  exhale journal backup /media/usb\n  exhale journal restore /media/usb/exhale-backup-20261201-080000.jsonl\n  exhale journal import old-laptop.jsonl\n  exhale journal upgrade"
    )]
    Journal(commands::journal_manage::JournalArgs),
    /// Start a new session file in your sessions folder, with comments showing the options.
    #[command(
        long_about = "Start a new session file in your sessions folder ($XDG_CONFIG_HOME/exhale/sessions/NAME.toml), \
            with comments showing the common options. It passes `exhale check` as it is. An existing file is never \
            replaced (exit 1). With --from, the file starts as a copy of another session instead.",
        after_help = "Examples:\n  exhale new evening\n  exhale new my-box --from box"
    )]
    New {
        /// The new session's name: a file name without folders, e.g. `evening`.
        #[arg(value_parser = commands::authoring::parse_session_name)]
        name: String,
        /// Start from a copy of this session (a name from `exhale list`, or a path).
        #[arg(long, value_name = "SESSION")]
        from: Option<String>,
    },
    /// Print the JSON Schema of the session format, for editors (--plan: of the plan file).
    Schema {
        /// The schema of the plan file instead (docs/plans.md).
        #[arg(long)]
        plan: bool,
    },
    /// Your practice plan: check one, start one, use one you were given.
    #[command(
        long_about = "Your practice plan, $XDG_CONFIG_HOME/exhale/plan.toml: which sessions to practise on which days, \
            for how long, and which to leave alone for now (docs/plans.md). `plan use` takes a file a therapist sent, \
            after checking it, and never replaces the current plan without asking.",
        after_help = "Examples:\n  exhale plan new\n  exhale plan check\n  exhale plan check from-my-therapist.toml\n  exhale plan use from-my-therapist.toml"
    )]
    Plan(commands::plan::PlanArgs),
    /// A check-in with no session: how you feel, your plan's measures and a note, kept in the journal.
    #[command(
        long_about = "A check-in with no session, a diary entry: how you are feeling (0-10), the measures your plan \
            or config.toml names ([[measure]], docs/plans.md) and a note, kept in the journal and shown in \
            history and the export. --at dates it at an earlier moment; it is then marked as written later.",
        after_help = "Examples:\n  exhale checkin\n  exhale checkin --at 21:30\n  exhale checkin --at \"yesterday 22:00\" --plain\n  printf '4 tense\\n70\\n\\n' | exhale checkin --plain"
    )]
    Checkin(commands::checkin::CheckinArgs),
    /// Today's planned practice, done or not, and the command that starts it.
    Today,
    /// Start calming practice at once: the plan's practice for today, or extended exhale; no picker, no check-in.
    #[command(
        long_about = "Start calming practice at once, for a hard moment: the practice your plan has for today \
            (or its first), at the plan's length, or extended exhale without a plan. No picker and no check-in \
            question; it is recorded in the journal as any session is. q asks \"Stop here?\"; Ctrl-C ends at once."
    )]
    Now {
        /// One line per event instead of the full-screen guide.
        #[arg(long)]
        plain: bool,
    },
    /// One short line when today's planned practice is not done yet (for a shell prompt); always exit 0.
    Due,
    /// Reminders at a time of day about today's practice: add, list, remove, pause, resume.
    #[command(
        long_about = "Reminders at a time of day about today's practice (docs/plans.md, \"Reminders\"). They are off \
            until you add one. With a systemd user manager, each is a user timer and service in \
            $XDG_CONFIG_HOME/systemd/user/ (exhale-remind-N.timer), written and enabled by `remind add` and \
            disabled and deleted by `remind remove`; without one, `remind add` prints the crontab line to add. \
            The notification says what your plan has for today and opens nothing; --only-if-not-done keeps it \
            quiet once today's practice is done. EXHALE_NO_SYSTEMD=1 leaves systemd alone (a crontab line instead).",
        after_help = "Examples:\n  exhale remind add 21:00\n  exhale remind add 7:30 --days mon,wed,fri --only-if-not-done\n  exhale remind list\n  exhale remind pause 3d\n  exhale remind resume\n  exhale remind remove 1"
    )]
    Remind(commands::remind::RemindArgs),
    /// Print a shell completion script: bash, zsh, fish, elvish or powershell.
    #[command(
        after_help = "Install:\n  bash  exhale completions bash > ~/.local/share/bash-completion/completions/exhale\n  \
            zsh   exhale completions zsh > ~/.zfunc/_exhale   (with fpath+=~/.zfunc before compinit in ~/.zshrc)\n  \
            fish  exhale completions fish > ~/.config/fish/completions/exhale.fish"
    )]
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff; `exhale man | man -l -` shows it).
    Man,
    /// List the heart-rate straps in reach over Bluetooth (a 5-second scan).
    #[cfg(feature = "hrv")]
    Devices,
}

/// The command line as clap sees it: for completions and the manual page.
pub fn command() -> clap::Command {
    Cli::command()
}

/// Parse the arguments, run the command and return its exit code. What
/// went wrong, if anything, is printed here, once.
pub fn main() -> ExitCode {
    // `exhale help format` (and config, journal): a guide rather than a
    // command's help, which clap's own `help` would refuse.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let [_, help, topic] = args.as_slice() {
        if let Some(topic) = topic
            .to_str()
            .filter(|t| help == "help" && commands::manual::guide(t).is_some())
        {
            return ExitCode::from(exit::report(commands::manual::print_guide(topic)));
        }
    }
    let cli = Cli::parse();
    ExitCode::from(exit::report(dispatch(cli)))
}

/// Run the command the arguments name.
fn dispatch(cli: Cli) -> exit::Outcome {
    let paths = Paths::from_env().map_err(exit::Failure::invalid)?;
    match cli.command {
        Some(Command::Run(args)) => commands::run::run(&paths, &args),
        Some(Command::List { json }) => commands::catalog::list(&paths, json),
        Some(Command::Show {
            session,
            json,
            cycles,
            minutes,
        }) => {
            let length = match (cycles, minutes) {
                (Some(n), _) => Some(crate::engine::LengthOverride::Cycles(n)),
                (None, Some(m)) => Some(crate::engine::LengthOverride::Time(
                    std::time::Duration::from_secs_f64(m * 60.0),
                )),
                (None, None) => None,
            };
            commands::catalog::show(&paths, &session, json, length)
        }
        Some(Command::Check { files }) => commands::catalog::check(&paths, &files),
        Some(Command::History(args)) => commands::journal::history(&paths, &args),
        // These follow the `[journal]` table of config.toml.
        Some(Command::Stats(args)) => commands::journal::stats(&paths, &args),
        Some(Command::Export(args)) => commands::journal::export(&paths, &args),
        Some(Command::Journal(args)) => commands::journal_manage::journal(&paths, &args),
        Some(Command::New { name, from }) => {
            commands::authoring::new(&paths, &name, from.as_deref())
        }
        Some(Command::Schema { plan: false }) => commands::authoring::print_schema(),
        Some(Command::Schema { plan: true }) => commands::plan::print_schema(),
        Some(Command::Plan(args)) => commands::plan::plan(&paths, &args),
        Some(Command::Checkin(args)) => commands::checkin::checkin(&paths, &args),
        Some(Command::Today) => commands::plan::today(&paths),
        Some(Command::Now { plain }) => commands::run::now(&paths, plain),
        Some(Command::Due) => commands::plan::due(&paths),
        Some(Command::Remind(args)) => commands::remind::remind(&paths, &args),
        Some(Command::Completions { shell }) => {
            commands::manual::print_completions(command(), shell)
        }
        Some(Command::Man) => commands::manual::print_man_page(
            command(),
            &commands::manual::Lists {
                examples: EXAMPLES,
                files: FILES,
                exit_codes: EXIT_CODES,
            },
        ),
        #[cfg(feature = "hrv")]
        Some(Command::Devices) => commands::run::devices(),
        None => commands::run::picker(&paths),
    }
}
