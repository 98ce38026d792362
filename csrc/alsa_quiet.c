/* Keep ALSA from printing "ALSA lib ..." lines into the terminal.
 *
 * alsa-lib reports errors through a C-variadic callback, which stable Rust
 * cannot define, so this one-function shim installs a handler that drops
 * every message. exhale turns audio failures into its own short notice. */
#include <alsa/asoundlib.h>

static void exhale_alsa_drop(const char *file, int line, const char *function,
                             int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

void exhale_alsa_quiet(void) {
    snd_lib_error_set_handler(exhale_alsa_drop);
}
