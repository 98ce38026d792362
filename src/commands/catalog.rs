//! `list`, `show` and `check`: looking at sessions without running them.

use std::io::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use crate::commands::output::Out;
use crate::config::DEFAULT_SETTLE;
use crate::describe::{self, BlockInfo};
use crate::engine::model::{Caution, CautionKind, Session};
use crate::engine::{LengthOverride, SegmentKind, Timeline, apply_override};
use crate::exit::{self, Failure, Outcome};
use crate::format::{self, Checked};
use crate::library::{Entry, FindError, Library};
use crate::paths::Paths;
use crate::text::{self, count, human};

/// The sounds sessions may name: the bundled ones plus the user's own
/// files in their sounds folder (by file stem). Each is decoded at most
/// once, when a session names it, so an undecodable file is reported
/// where the session names it.
pub type AvailableSounds = crate::audio::SoundBank;

/// Print the diagnostics of one file to stderr (the first fifty, and how
/// many more there are).
pub fn print_diagnostics(path: &str, source: &str, checked: &Checked) {
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "{}",
        crate::format::diagnostic::render_all(&checked.diagnostics, path, source)
    );
}

/// Why a session could not be found or read, and what to do.
pub fn find_failure(e: &FindError) -> Failure {
    Failure::invalid(e).help(e.help())
}

/// Resolve and load a session for `show` or `run`; the file's warnings
/// are printed, its errors are the failure.
pub fn open_session(paths: &Paths, arg: &str) -> Result<(Entry, Session), Failure> {
    open_session_with(paths, arg, &AvailableSounds::load(&paths.sounds_dir()))
}

/// [`open_session`] checking sound names against `sounds`, so a runner can
/// keep the sounds it has already decoded.
pub fn open_session_with(
    paths: &Paths,
    arg: &str,
    sounds: &AvailableSounds,
) -> Result<(Entry, Session), Failure> {
    let lib = Library::load(Some(&paths.sessions_dir()));
    let entry = lib.resolve(arg).map_err(|e| find_failure(&e))?;
    let (source, checked) = entry.check(sounds);
    match checked.session.clone() {
        Some(s) => {
            if checked.diagnostics.iter().any(|d| !d.is_error())
                && !matches!(entry.origin, crate::library::Origin::BuiltIn)
            {
                print_diagnostics(&entry.display_path(), &source, &checked);
            }
            Ok((entry, s))
        }
        None => Err(Failure::text(
            exit::INVALID,
            format::diagnostic::render_all(&checked.diagnostics, &entry.display_path(), &source),
        )),
    }
}

#[derive(Serialize)]
struct ListRow {
    name: String,
    title: String,
    length: String,
    length_secs: f64,
    kind: String,
    tags: Vec<String>,
    source: &'static str,
    path: Option<String>,
    overrides_builtin: bool,
    valid: bool,
}

/// `exhale list`.
pub fn list(paths: &Paths, json: bool) -> Outcome {
    let lib = Library::load(Some(&paths.sessions_dir()));
    let sounds = AvailableSounds::load(&paths.sounds_dir());
    let mut rows = Vec::new();
    for e in &lib.entries {
        let (_, checked) = e.check(&sounds);
        let path = match &e.origin {
            crate::library::Origin::User(p) | crate::library::Origin::File(p) => {
                Some(p.display().to_string())
            }
            crate::library::Origin::BuiltIn => None,
        };
        let row = match &checked.session {
            Some(s) => {
                let tl = Timeline::compile(s, Duration::ZERO);
                ListRow {
                    name: e.name.clone(),
                    title: s.title.clone(),
                    length: describe::length_text(&tl),
                    length_secs: tl.fixed_length().as_secs_f64(),
                    kind: describe::kind_of(s).into(),
                    tags: s.tags.clone(),
                    source: e.origin.label(),
                    path,
                    overrides_builtin: e.shadows_builtin,
                    valid: true,
                }
            }
            None => ListRow {
                name: e.name.clone(),
                title: "(has errors: run `exhale check`)".into(),
                length: "-".into(),
                length_secs: 0.0,
                kind: "-".into(),
                tags: Vec::new(),
                source: e.origin.label(),
                path,
                overrides_builtin: e.shadows_builtin,
                valid: false,
            },
        };
        rows.push(row);
    }
    let mut out = Out::stdout();
    if json {
        out.json(&rows);
        return out.finish();
    }
    let w_name = rows
        .iter()
        .map(|r| r.name.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let w_title = rows
        .iter()
        .map(|r| r.title.chars().count())
        .max()
        .unwrap_or(5)
        .clamp(5, 34);
    writeln!(
        out,
        "{:<w_name$}  {:<w_title$}  {:<13}  {:<9}  {:<10}  TAGS",
        "NAME", "TITLE", "LENGTH", "KIND", "SOURCE"
    );
    for r in &rows {
        let mut title: String = r.title.chars().take(w_title).collect();
        if r.title.chars().count() > w_title {
            title.pop();
            title.push('…');
        }
        let source = if r.overrides_builtin {
            "user*"
        } else {
            r.source
        };
        writeln!(
            out,
            "{:<w_name$}  {:<w_title$}  {:<13}  {:<9}  {:<10}  {}",
            r.name,
            title,
            r.length,
            r.kind,
            source,
            r.tags.join(", ")
        );
    }
    if rows.iter().any(|r| r.overrides_builtin) {
        writeln!(
            out,
            "\n* your own file replaces the built-in session of the same name"
        );
    }
    for (p, e) in &lib.unreadable {
        eprintln!("warning: cannot read {}: {e}", p.display());
    }
    out.finish()
}

#[derive(Serialize)]
struct ShowJson<'a> {
    name: &'a str,
    source: &'static str,
    title: &'a str,
    description: &'a str,
    tags: &'a [String],
    author: Option<&'a str>,
    references: &'a [String],
    cautions: &'a [Caution],
    settle_secs: f64,
    /// What the settle-in says.
    settle_text: &'a str,
    total_secs: f64,
    length: String,
    user_timed: bool,
    /// With `--cycles` or `--minutes`: the new length and what it leaves
    /// out.
    length_override: Option<Changed>,
    blocks: Vec<BlockInfo>,
}

/// A length from the command line, and the prompts and bells it leaves
/// out.
#[derive(Serialize)]
struct Changed {
    cycles: Option<u32>,
    minutes: Option<f64>,
    dropped_prompts: usize,
    dropped_bells: usize,
}

/// How many prompts and bells (end bells included) `blocks` have.
fn marks_in(blocks: &[BlockInfo]) -> (usize, usize) {
    blocks.iter().fold((0, 0), |(p, b), i| {
        (
            p + i.prompts.len(),
            b + i.bells.len() + usize::from(i.end_bell),
        )
    })
}

/// `exhale show`.
pub fn show(paths: &Paths, arg: &str, json: bool, length: Option<LengthOverride>) -> Outcome {
    let (entry, mut session) = open_session(paths, arg)?;
    let settle = session.settle.unwrap_or(DEFAULT_SETTLE);
    // What a length from the command line leaves out: the prompts and
    // bells that would fall past a new end.
    let changed = length.map(|o| {
        let (prompts, bells) = marks_in(&describe::blocks(&session));
        apply_override(&mut session, o);
        let (p, b) = marks_in(&describe::blocks(&session));
        Changed {
            cycles: match o {
                LengthOverride::Cycles(n) => Some(n),
                LengthOverride::Time(_) => None,
            },
            minutes: match o {
                LengthOverride::Time(d) => Some(d.as_secs_f64() / 60.0),
                LengthOverride::Cycles(_) => None,
            },
            dropped_prompts: prompts.saturating_sub(p),
            dropped_bells: bells.saturating_sub(b),
        }
    });
    let tl = Timeline::compile(&session, settle);
    let blocks = describe::blocks(&session);
    let mut out = Out::stdout();
    if json {
        let j = ShowJson {
            name: &entry.name,
            source: entry.origin.label(),
            title: &session.title,
            description: &session.description,
            tags: &session.tags,
            author: session.author.as_deref(),
            references: &session.references,
            cautions: &session.cautions,
            settle_secs: settle.as_secs_f64(),
            settle_text: session
                .settle_text
                .as_deref()
                .unwrap_or(crate::engine::timeline::DEFAULT_SETTLE_CUE),
            total_secs: tl.planned().as_secs_f64(),
            length: describe::length_text(&tl),
            user_timed: tl.has_open(),
            length_override: changed,
            blocks,
        };
        out.json(&j);
        return out.finish();
    }
    writeln!(
        out,
        "{}  ({}, {})",
        session.title,
        entry.name,
        entry.origin.label()
    );
    if !session.description.is_empty() {
        writeln!(out, "{}", session.description);
    }
    if !session.tags.is_empty() {
        writeln!(out, "tags: {}", session.tags.join(", "));
    }
    for c in &session.cautions {
        writeln!(out, "\nCaution: {}", c.text);
    }
    writeln!(out);
    if !settle.is_zero() {
        match &session.settle_text {
            Some(text) => writeln!(out, "   settle-in {} · {text}", human(settle)),
            None => writeln!(out, "   settle-in {}", human(settle)),
        }
    }
    for (i, b) in blocks.iter().enumerate() {
        let lines = describe::block_lines(b);
        writeln!(out, "{:>2}. {} ({})", i + 1, b.title, b.kind);
        for l in lines {
            writeln!(out, "      {l}");
        }
        for l in describe::phase_detail_lines(b) {
            writeln!(out, "        {l}");
        }
        for (t, text) in &b.prompts {
            writeln!(
                out,
                "      {:>6}  {}",
                text::clock(Duration::from_secs_f64(*t)),
                text
            );
        }
    }
    if let Some(c) = &changed {
        let breathes = session
            .blocks
            .iter()
            .any(|b| matches!(b.body, crate::engine::model::BlockBody::Breathe(_)));
        let how = match (c.cycles, c.minutes, breathes) {
            (Some(n), _, true) => {
                format!("--cycles {n}: every breathing block {}", count(n, "cycle"))
            }
            (Some(n), _, false) => format!("--cycles {n}: no breathing block to change"),
            (None, Some(m), true) => format!(
                "--minutes {m}: every breathing block about {}",
                human(Duration::from_secs_f64(m * 60.0))
            ),
            (None, Some(m), false) => format!(
                "--minutes {m}: every fixed-length sit {}",
                human(Duration::from_secs_f64(m * 60.0))
            ),
            _ => String::new(),
        };
        let mut dropped = Vec::new();
        if c.dropped_prompts > 0 {
            dropped.push(count(c.dropped_prompts, "prompt"));
        }
        if c.dropped_bells > 0 {
            dropped.push(count(c.dropped_bells, "bell"));
        }
        if dropped.is_empty() {
            writeln!(out, "\nwith {how}; nothing is left out");
        } else {
            writeln!(
                out,
                "\nwith {how}; left out past the new end: {}",
                dropped.join(" and ")
            );
        }
    }
    let total = describe::length_text(&tl);
    // Said only when the session has a settle-in to count.
    let with = if tl.segments.iter().any(|s| s.kind == SegmentKind::Settle) {
        " (with settle-in)"
    } else {
        ""
    };
    writeln!(out, "\ntotal: {total}{with}");
    if let Some(most) = describe::at_most_text(&tl) {
        writeln!(out, "       {most}");
    }
    if !session.references.is_empty() {
        writeln!(out, "\nreferences:");
        for r in &session.references {
            writeln!(out, "  - {r}");
        }
    }
    out.finish()
}

/// A caution's kind in a few words, as `check` names it.
fn caution_name(kind: CautionKind) -> &'static str {
    match kind {
        CautionKind::Declared => "written in the file",
        CautionKind::FastBreathing => "fast breathing",
        CautionKind::Fainting => "never in water or driving",
        CautionKind::UserTimedHold => "holds you end",
        CautionKind::LongHold => "long holds",
    }
}

/// `exhale check`.
pub fn check(paths: &Paths, files: &[PathBuf]) -> Outcome {
    let sounds = AvailableSounds::load(&paths.sounds_dir());
    let mut out = Out::stdout();
    let mut bad = 0;
    let mut warned = 0;
    for path in files {
        let (source, checked) = format::check_file(path, &sounds);
        let shown = path.display().to_string();
        print_diagnostics(&shown, &source, &checked);
        if checked.has_errors() {
            bad += 1;
            let n = checked.diagnostics.iter().filter(|d| d.is_error()).count();
            writeln!(out, "{shown}: {}", count(n, "error"));
        } else {
            let w = checked.diagnostics.len();
            if w > 0 {
                warned += 1;
                writeln!(out, "{shown}: ok ({})", count(w, "warning"));
            } else {
                writeln!(out, "{shown}: ok");
            }
            // Which rule called for each caution exhale adds, so an
            // author can see why it is there.
            for c in checked.session.iter().flat_map(|s| &s.cautions) {
                for why in &c.why {
                    writeln!(out, "  caution ({}): {why}", caution_name(c.kind));
                }
            }
        }
    }
    if files.len() > 1 {
        writeln!(
            out,
            "{} checked: {} valid, {} with errors{}",
            count(files.len(), "file"),
            files.len() - bad,
            bad,
            if warned > 0 {
                format!(", {warned} with warnings")
            } else {
                String::new()
            }
        );
    }
    out.finish()?;
    // Each file's errors are printed above, as it was checked.
    if bad > 0 {
        Err(Failure::quiet(exit::INVALID))
    } else {
        Ok(())
    }
}
