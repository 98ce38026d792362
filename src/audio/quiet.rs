//! Keep the sound stack silent in the terminal. ALSA prints its errors
//! (`ALSA lib pcm.c:...`) straight to stderr, which would tear through the
//! full-screen UI and clutter plain output; exhale reports audio trouble in
//! one short notice of its own instead.

/// Install a no-op ALSA error handler (once per process; cheap to repeat).
#[cfg(target_os = "linux")]
#[allow(unsafe_code)] // a call into the C shim built by build.rs; no arguments, no state
pub fn silence_alsa() {
    unsafe extern "C" {
        fn exhale_alsa_quiet();
    }
    static ONCE: std::sync::Once = std::sync::Once::new();
    // SAFETY: the shim only calls `snd_lib_error_set_handler` with a
    // function that ignores its arguments.
    ONCE.call_once(|| unsafe { exhale_alsa_quiet() });
}

/// Nothing to silence off Linux.
#[cfg(not(target_os = "linux"))]
pub fn silence_alsa() {}
