//! The subcommands' implementations: each takes resolved paths and returns
//! an exit code, printing to stdout and stderr.

pub mod authoring;
pub mod catalog;
pub mod checkin;
pub mod journal;
pub mod journal_manage;
pub mod manual;
pub mod output;
pub mod plan;
pub mod remind;
pub mod run;
