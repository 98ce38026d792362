//! Build script: on Linux, compile the tiny C shim that silences ALSA's
//! own error printing (see `csrc/alsa_quiet.c` for why it is C).

fn main() {
    println!("cargo:rerun-if-changed=csrc/alsa_quiet.c");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        let mut build = cc::Build::new();
        build.file("csrc/alsa_quiet.c");
        // alsa-sys links libasound already; its headers may live outside
        // the default include path on some systems.
        if let Ok(out) = std::process::Command::new("pkg-config")
            .args(["--cflags-only-I", "alsa"])
            .output()
        {
            for flag in String::from_utf8_lossy(&out.stdout).split_whitespace() {
                if let Some(dir) = flag.strip_prefix("-I") {
                    build.include(dir);
                }
            }
        }
        build.compile("exhale_alsa_quiet");
        println!("cargo:rustc-link-lib=asound");
    }
}
