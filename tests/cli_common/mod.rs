//! The binary as a command-line tool, for tests that run it once and read
//! what it printed: its own config and data folders under `dir`, the
//! manual clock (a session runs at once, its times exact) and no colour.

use assert_cmd::Command;

/// `exhale` with its folders under `dir`, on the manual clock.
pub fn exhale(dir: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("exhale").expect("binary");
    c.env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("EXHALE_MACHINE", "test")
        .env("EXHALE_TEST_CLOCK", "manual")
        .env("NO_COLOR", "1")
        .timeout(std::time::Duration::from_secs(20));
    c
}
