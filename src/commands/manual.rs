//! `exhale completions SHELL`, `exhale man` and `exhale help TOPIC`: shell
//! completion scripts (`clap_complete`) and the manual page
//! (`clap_mangen`), both made from the same command-line definition as
//! `--help`, so none of them can fall out of step with the others; and the
//! guides to the session format, the config file and the journal, built
//! into the binary so that an installed exhale can show them (error hints
//! point here, not to a source tree the user does not have).
//!
//! The manual is one page: the top-level synopsis, description and
//! options from `clap_mangen`, then every command with its own arguments,
//! then examples, files, environment and exit status from the lists that
//! `--help` shows too ([`Lists`], given by the command line, which owns
//! them: nothing here imports the layer above).

use clap_mangen::Man;
use clap_mangen::roff::{Inline, Roff, bold, italic, roman};

use super::output::Out;
use crate::exit::{Failure, Outcome};

/// What the manual says besides the commands: each list pairs a thing
/// (a command line, a file, an exit code) with what it means.
#[derive(Debug, Clone, Copy)]
pub struct Lists {
    /// Examples of use.
    pub examples: &'static [(&'static str, &'static str)],
    /// The files read and written.
    pub files: &'static [(&'static str, &'static str)],
    /// The exit codes.
    pub exit_codes: &'static [(&'static str, &'static str)],
}

/// The guides `exhale help TOPIC` prints: each topic and its text.
pub const GUIDES: &[(&str, &str)] = &[
    ("format", include_str!("../../docs/session-format.md")),
    ("config", include_str!("../../docs/config.md")),
    ("journal", include_str!("../../docs/journal.md")),
];

/// The guide to `topic`, if there is one.
pub fn guide(topic: &str) -> Option<&'static str> {
    GUIDES.iter().find(|(t, _)| *t == topic).map(|(_, g)| *g)
}

/// Print the guide to `topic` on stdout.
pub fn print_guide(topic: &str) -> Outcome {
    let text = guide(topic).ok_or_else(|| {
        Failure::usage(format_args!(
            "no guide to `{topic}`; the guides are: {}",
            GUIDES
                .iter()
                .map(|(t, _)| *t)
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    let mut out = Out::stdout();
    write!(out, "{text}");
    out.finish()
}

/// Print the completion script for `shell` on stdout; `cmd` is the
/// command line.
pub fn print_completions(mut cmd: clap::Command, shell: clap_complete::Shell) -> Outcome {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "exhale", &mut script);
    write_all(&script)
}

/// Print the manual page of the command line `cmd`, in roff, on stdout.
pub fn print_man_page(cmd: clap::Command, lists: &Lists) -> Outcome {
    let page = man_page(cmd, lists)
        .map_err(|e| Failure::invalid(format_args!("cannot make the manual page: {e}")))?;
    write_all(&page)
}

fn write_all(bytes: &[u8]) -> Outcome {
    let mut out = Out::stdout();
    write!(out, "{}", String::from_utf8_lossy(bytes));
    out.finish()
}

/// The manual page of the command line `cmd`, in roff.
pub fn man_page(mut cmd: clap::Command, lists: &Lists) -> std::io::Result<Vec<u8>> {
    cmd.build();
    let man = Man::new(cmd.clone()).title("EXHALE").section("1");
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;

    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        command_section(&mut roff, sub);
    }
    roff.control("SH", ["EXAMPLES"]);
    for (example, what) in lists.examples {
        item(&mut roff, vec![bold(*example)], what);
    }
    roff.control("SH", ["FILES"]);
    for (file, what) in lists.files {
        item(&mut roff, vec![italic(*file)], what);
    }
    roff.control("SH", ["ENVIRONMENT"]);
    for (var, what) in [
        ("NO_COLOR", "when set and not empty, draw without colour"),
        (
            "XDG_CONFIG_HOME",
            "where the exhale/ folder of settings, sessions and sounds is (default ~/.config)",
        ),
        (
            "XDG_DATA_HOME",
            "where the exhale/ folder of the journal is (default ~/.local/share)",
        ),
        (
            "EXHALE_JOURNAL_DIR",
            "a folder a sync tool shares between computers, to keep the journal in (as [journal] folder)",
        ),
        (
            "EXHALE_MACHINE",
            "this computer's name in the journal (as [journal] machine)",
        ),
    ] {
        item(&mut roff, vec![bold(var)], what);
    }
    roff.control("SH", ["EXIT STATUS"]);
    for (code, what) in lists.exit_codes {
        item(&mut roff, vec![bold(*code)], what);
    }
    roff.control("SH", ["SEE ALSO"]);
    roff.text([roman(
        "exhale help format (the session file format, every key), exhale help config (the config file), exhale help journal (the journal, its files and sync).",
    )]);
    roff.to_writer(&mut page)?;
    man.render_version_section(&mut page)?;
    Ok(once_preamble(&page))
}

/// Each part rendered on its own starts with roff's apostrophe preamble;
/// keep the first.
fn once_preamble(page: &[u8]) -> Vec<u8> {
    const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    let text = String::from_utf8_lossy(page);
    let rest = text
        .strip_prefix(PREAMBLE)
        .unwrap_or(&text)
        .replace(PREAMBLE, "");
    format!("{PREAMBLE}{rest}").into_bytes()
}

/// A tagged paragraph: `tag` on its own line, `text` indented below it.
fn item(roff: &mut Roff, tag: Vec<Inline>, text: &str) {
    roff.control("TP", []);
    roff.text(tag);
    roff.text([roman(text)]);
}

/// The arguments of `sub` a reader needs: not `--help`, which every
/// command has.
fn arguments(sub: &clap::Command) -> impl Iterator<Item = &clap::Arg> {
    sub.get_arguments()
        .filter(|a| !a.is_hide_set() && a.get_id() != "help" && a.get_id() != "version")
}

/// One command: its usage, what it does, its arguments and its notes.
fn command_section(roff: &mut Roff, sub: &clap::Command) {
    let name = format!("exhale {}", sub.get_name());
    roff.control("SS", [name.as_str()]);
    let mut usage = vec![bold(name.as_str())];
    if arguments(sub).any(|a| !a.is_positional()) {
        usage.push(roman(" [OPTIONS]"));
    }
    for arg in arguments(sub).filter(|a| a.is_positional()) {
        let many = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
        let value = format!("{}{}", value_name(arg), if many { "..." } else { "" });
        let shown = if arg.is_required_set() {
            format!("<{value}>")
        } else {
            format!("[{value}]")
        };
        usage.push(roman(" "));
        usage.push(italic(shown));
    }
    roff.text(usage);
    for paragraph in paragraphs(sub.get_long_about().or_else(|| sub.get_about())) {
        roff.control("PP", []);
        roff.text([roman(sentence(&paragraph))]);
    }
    for arg in arguments(sub) {
        let mut tag = Vec::new();
        if arg.is_positional() {
            tag.push(italic(value_name(arg)));
        } else {
            if let Some(short) = arg.get_short() {
                tag.push(bold(format!("-{short}")));
                tag.push(roman(", "));
            }
            if let Some(long) = arg.get_long() {
                tag.push(bold(format!("--{long}")));
            }
            if arg.get_action().takes_values() {
                tag.push(roman(" "));
                tag.push(italic(value_name(arg)));
            }
        }
        let mut text = sentence(
            &arg.get_long_help()
                .or_else(|| arg.get_help())
                .map(ToString::to_string)
                .unwrap_or_default(),
        );
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_owned())
            .collect();
        if !values.is_empty() && arg.get_action().takes_values() {
            text.push_str(&format!(" One of: {}.", values.join(", ")));
        }
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        if !defaults.is_empty() && arg.get_action().takes_values() {
            text.push_str(&format!(" Default: {}.", defaults.join(", ")));
        }
        item(roff, tag, &text);
    }
    for paragraph in paragraphs(sub.get_after_long_help().or_else(|| sub.get_after_help())) {
        // A heading and indented lines ("Examples:", then commands) keep
        // their lines; prose is filled.
        let mut lines = paragraph.lines();
        roff.control("PP", []);
        roff.text([roman(lines.next().unwrap_or_default())]);
        let rest: Vec<&str> = lines.map(str::trim).collect();
        if !rest.is_empty() {
            roff.control("nf", []);
            roff.control("RS", []);
            for line in rest {
                roff.text([roman(line)]);
            }
            roff.control("RE", []);
            roff.control("fi", []);
        }
    }
}

/// `text` ending with a full stop, as the manual's sentences do (help
/// lines are fragments without one).
fn sentence(text: &str) -> String {
    let t = text.trim_end();
    if t.is_empty() || t.ends_with(['.', '!', '?', ':']) {
        t.to_owned()
    } else {
        format!("{t}.")
    }
}

/// The value's name as `--help` shows it: `FILE`, `N`, `SESSION`.
fn value_name(arg: &clap::Arg) -> String {
    arg.get_value_names()
        .and_then(|n| n.first())
        .map_or_else(|| arg.get_id().as_str().to_uppercase(), ToString::to_string)
}

/// A help text's paragraphs (split at blank lines).
fn paragraphs(text: Option<&clap::builder::StyledStr>) -> Vec<String> {
    text.map(ToString::to_string)
        .unwrap_or_default()
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(ToOwned::to_owned)
        .collect()
}
