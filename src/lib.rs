//! exhale: guided breathwork and meditation in the terminal.
//!
//! The modules are layers (docs/architecture.md), each importing only
//! those below it: [`cli`] parses the command line and hands each
//! subcommand to [`commands`]; the two front ends, [`tui`] and [`plain`],
//! run sessions; they share the services ([`audio`], [`journal`],
//! [`library`], [`config`], [`describe`], [`signals`], [`hr`], [`plan`], [`remind`]); [`format`] reads
//! and checks session files into the model of the pure [`engine`], which
//! answers every timing question at a time it is given; small leaves
//! ([`clock`], [`paths`], [`text`], [`exit`]) sit under everything.

// The JSON Schema (`format::schema`) is one `json!` literal, deeper than
// the macro's default recursion allows.
#![recursion_limit = "256"]

pub mod audio;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod describe;
pub mod engine;
pub mod exit;
pub mod format;
pub mod hr;
pub mod journal;
pub mod library;
pub mod paths;
pub mod plain;
pub mod plan;
pub mod remind;
pub mod signals;
pub mod text;
pub mod tty;
pub mod tui;
