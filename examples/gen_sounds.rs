//! Regenerate the bundled sounds in `sounds/` from their synthesis code
//! (`src/audio/synth.rs`): `cargo run --example gen_sounds`.
//!
//! The output is deterministic; `cargo test` checks that the committed
//! files match what this writes.

use std::path::Path;

fn main() -> std::io::Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sounds");
    std::fs::create_dir_all(&dir)?;
    for (name, bytes) in exhale::audio::synth::render_all() {
        let path = dir.join(format!("{name}.wav"));
        std::fs::write(&path, &bytes)?;
        println!("{}  {} bytes", path.display(), bytes.len());
    }
    Ok(())
}
