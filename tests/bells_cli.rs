//! Random bells through the real binary: `exhale show` lists the very
//! times a run then rings (the seed makes them the same every time), and
//! a bell's strikes are each a line in plain mode.

mod cli_common;

use cli_common::exhale;

const SIT: &str = "name = \"Random\"\nsettle = 0\n[[block]]\nkind = \"meditate\"\nduration = \"3m\"\nbells = { random = \"20s..40s\", seed = 3, strikes = 2 }\n";

/// `mm:ss.mmm` to seconds.
fn seconds(stamp: &str) -> Option<f64> {
    let (m, s) = stamp.split_once(':')?;
    Some(m.parse::<f64>().ok()? * 60.0 + s.parse::<f64>().ok()?)
}

#[test]
fn show_lists_the_random_bells_a_run_rings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("random.toml");
    std::fs::write(&file, SIT).expect("write");
    let shown = exhale(dir.path())
        .args(["show", "--json"])
        .arg(&file)
        .output()
        .expect("show");
    assert!(shown.status.success(), "{shown:?}");
    let json: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("json");
    let listed: Vec<f64> = json["blocks"][0]["bells"]
        .as_array()
        .unwrap_or_else(|| panic!("no bells in {json}"))
        .iter()
        .filter_map(serde_json::Value::as_f64)
        .collect();
    assert!(
        listed.len() >= 8,
        "3 minutes at 20 to 40 s, struck twice: {listed:?}"
    );

    let ran = exhale(dir.path())
        .args(["run", "--plain", "--no-journal", "--no-sound"])
        .arg(&file)
        .write_stdin("")
        .output()
        .expect("run");
    assert!(ran.status.success(), "{ran:?}");
    let text = String::from_utf8_lossy(&ran.stdout);
    let rung: Vec<f64> = text
        .lines()
        .filter(|l| l.ends_with("  bell"))
        .filter_map(|l| seconds(l.split_whitespace().next()?))
        .collect();
    assert_eq!(rung, listed, "{text}");
    // Each bell's second strike 3 s after it.
    for pair in rung.chunks(2) {
        if let [a, b] = pair {
            assert!((b - a - 3.0).abs() < 1e-6, "strikes {a} and {b}\n{text}");
        }
    }
}
