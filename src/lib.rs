//! exhale: guided breathwork and meditation in the terminal.
//!
//! The crate is split so that the timing rules can be tested without a
//! terminal: [`format`] reads session files into the [`model`], [`engine`]
//! compiles a session into a timeline and answers questions about it at a
//! given time, and the front ends (the command line in [`cli`]) only read
//! from those.

pub mod audio;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod describe;
pub mod engine;
pub mod exit;
pub mod format;
pub mod journal;
pub mod library;
pub mod model;
pub mod paths;
pub mod plain;
pub mod player;
pub mod signals;
pub mod text;
pub mod tui;
