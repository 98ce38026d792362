//! The `exhale` binary: everything lives in the library crate.

fn main() -> std::process::ExitCode {
    exhale::cli::main()
}
