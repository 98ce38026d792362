//! The command line: argument parsing with clap and dispatch to the
//! commands. Exit codes: 0 success, 1 invalid input (a bad session,
//! config or journal), 2 bad usage (clap's own).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands;
use crate::paths::Paths;

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
    after_help = "Examples:\n  exhale list\n  exhale show box\n  exhale check my-session.toml"
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
    },
    /// Check session files; exit 0 if all are valid, 1 if any is not.
    Check {
        /// Session files to check.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<std::path::PathBuf>,
    },
}

/// Parse the arguments, run the command and return its exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let paths = match Paths::from_env() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let code = match cli.command {
        Some(Command::Run(args)) => commands::run::run(&paths, &args),
        Some(Command::List { json }) => commands::catalog::list(&paths, json),
        Some(Command::Show { session, json }) => commands::catalog::show(&paths, &session, json),
        Some(Command::Check { files }) => commands::catalog::check(&paths, &files),
        None => commands::run::picker(&paths),
    };
    ExitCode::from(code)
}
