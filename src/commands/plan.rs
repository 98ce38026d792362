//! `exhale plan check|show|new|use`, `exhale today`, `exhale due` and
//! `exhale schema --plan`: the practice plan file,
//! `$XDG_CONFIG_HOME/exhale/plan.toml` (docs/plans.md), and how this
//! week's practice stands against it.

use std::io::{BufRead as _, Write as _};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueHint};

use crate::clock;
use crate::commands::output::Out;
use crate::exit::{self, Failure, Outcome};
use crate::format::diagnostic::render_all;
use crate::format::read;
use crate::journal::Store;
use crate::journal::day::journal_day;
use crate::journal::figures::Seen;
use crate::journal::measure::Asks;
use crate::journal::store::Line;
use crate::library::Library;
use crate::paths::Paths;
use crate::plan::adherence::{self, Done, Today};
use crate::plan::{self, Checked, Known, Plan, schema};
use crate::text::count;

/// Options of `exhale plan`.
#[derive(Debug, Clone, Args)]
pub struct PlanArgs {
    /// What to do with the plan.
    #[command(subcommand)]
    pub command: PlanCommand,
}

/// The subcommands of `exhale plan`.
#[derive(Debug, Clone, Subcommand)]
pub enum PlanCommand {
    /// Check a plan file (the active plan without FILE); exit 0 if valid, 1 if not.
    Check {
        /// The plan file to check; without it, the active plan.
        #[arg(value_name = "FILE", value_hint = ValueHint::FilePath)]
        file: Option<PathBuf>,
    },
    /// This week: what is planned, what is done, in plain words.
    Show,
    /// Write a commented plan to start from, as the active plan (never replacing one).
    New,
    /// Make FILE the active plan (a plan a therapist sent): checked first, and
    /// never replacing the current plan without asking.
    Use {
        /// The plan file to use.
        #[arg(value_name = "FILE", value_hint = ValueHint::FilePath)]
        file: PathBuf,
        /// Replace the current plan without asking.
        #[arg(long)]
        yes: bool,
    },
}

/// Where the active plan is.
pub fn plan_path(paths: &Paths) -> PathBuf {
    paths.config_dir.join(plan::FILE_NAME)
}

/// The sessions a plan may name: the library, with the user's own.
pub fn known(paths: &Paths) -> Known {
    Known::from_library(&Library::load(Some(&paths.sessions_dir())))
}

/// `exhale plan ...`.
pub fn plan(paths: &Paths, args: &PlanArgs) -> Outcome {
    match &args.command {
        PlanCommand::Check { file } => check(paths, file.as_deref()),
        PlanCommand::Show => show(paths),
        PlanCommand::New => new(paths),
        PlanCommand::Use { file, yes } => use_file(paths, file, *yes),
    }
}

fn no_plan(path: &Path) -> Failure {
    Failure::invalid(format_args!("there is no plan yet ({} does not exist)", path.display()))
        .help("`exhale plan new` writes one to start from; `exhale plan use FILE` takes one you were given")
}

/// Check `file` and print its diagnostics to stderr; the result.
fn checked(file: &Path, known: &Known) -> (String, Checked) {
    let (source, checked) = plan::check_file(file, known);
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "{}",
        render_all(&checked.diagnostics, &file.display().to_string(), &source)
    );
    (source, checked)
}

/// `exhale plan check [FILE]`.
fn check(paths: &Paths, file: Option<&Path>) -> Outcome {
    let active = plan_path(paths);
    let file = file.unwrap_or(&active);
    if !file.exists() && file == active {
        return Err(no_plan(&active));
    }
    let (_, c) = checked(file, &known(paths));
    let mut out = Out::stdout();
    let shown = file.display();
    if c.has_errors() {
        let n = c.diagnostics.iter().filter(|d| d.is_error()).count();
        writeln!(out, "{shown}: {}", count(n, "error"));
        out.finish()?;
        return Err(Failure::quiet(exit::INVALID));
    }
    match c.diagnostics.len() {
        0 => writeln!(out, "{shown}: ok"),
        w => writeln!(out, "{shown}: ok ({})", count(w, "warning")),
    }
    out.finish()
}

/// The `#:schema` line of a plan `new` writes: the schema copy sits
/// beside the plan in the config folder.
pub const SCHEMA_DIRECTIVE: &str = "#:schema ./plan.schema.json";

/// The plan `new` writes, starting on `today`.
pub fn template(today: chrono::NaiveDate) -> String {
    TEMPLATE
        .replace("{directive}", SCHEMA_DIRECTIVE)
        .replace("{today}", &today.format("%Y-%m-%d").to_string())
}

const TEMPLATE: &str = r#"{directive}
# Your practice plan. Lines starting with # are comments. After a change,
# `exhale plan check`; `exhale plan show` shows this week. The whole format:
# docs/plans.md in exhale's source.

title = "My practice plan"
from = {today}     # the first day
weeks = 4             # or: until = 2026-12-31
# review = 2026-12-29 # the next appointment

[[practice]]
session = "extended-exhale"   # a name from `exhale list`
days = "daily"                # or 3 (days a week), or ["mon", "wed", "fri"]
minutes = 5                   # or cycles = 10; without either, as the session is written
note = "After dinner, sitting comfortably."

# [[practice]]
# session = "body-scan"
# days = ["sat", "sun"]

# Sessions to leave alone for now (names or tags), and why: the picker
# marks them and asks before one starts.
# [avoid]
# sessions = ["retention"]
# reason = "Breath holds are for later; we will look at them at the review."
"#;

/// Write `content` to `target` only if nothing is there.
fn create_new(target: &Path, content: &str) -> Result<(), Failure> {
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            Failure::invalid(format_args!(
                "cannot create the folder {}: {e}",
                dir.display()
            ))
        })?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(target)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Failure::invalid(format_args!(
                    "{} already exists; nothing was changed",
                    target.display()
                ))
                .help("edit that file, or `exhale plan use FILE` to replace it with another")
            } else {
                Failure::invalid(format_args!("cannot create {}: {e}", target.display()))
            }
        })?;
    file.write_all(content.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Failure::invalid(format_args!("cannot write {}: {e}", target.display())))
}

/// Write the plan's schema beside it, for the `#:schema` line; a failure
/// is a note, not an error.
fn write_schema_copy(config_dir: &Path) {
    let path = config_dir.join(plan::SCHEMA_FILE);
    let text = schema::schema_text();
    let cap = read::Cap {
        bytes: 1024 * 1024,
        what: "the schema copy",
        usual: "the schema is a few kilobytes",
    };
    let result = match read::read_capped(&path, cap) {
        Ok(old) if old == text.as_bytes() => Ok(()),
        Ok(_) | Err(read::ReadError::NotFound | read::ReadError::TooLarge { .. }) => {
            std::fs::write(&path, &text).map_err(|e| e.to_string())
        }
        Err(e) => Err(e.to_string()),
    };
    if let Err(e) = result {
        exit::eprintln(format_args!(
            "note: could not write the editor schema to {}: {e}",
            path.display()
        ));
    }
}

/// `exhale plan new`.
fn new(paths: &Paths) -> Outcome {
    let target = plan_path(paths);
    create_new(&target, &template(clock::wall_now().date_naive()))?;
    write_schema_copy(&paths.config_dir);
    let mut out = Out::stdout();
    writeln!(out, "Created {}", target.display());
    writeln!(
        out,
        "Next: edit it, then `exhale plan check` and `exhale plan show`."
    );
    out.finish()
}

/// `exhale plan use FILE [--yes]`.
fn use_file(paths: &Paths, file: &Path, yes: bool) -> Outcome {
    let known = known(paths);
    let (source, c) = checked(file, &known);
    let bad = c.has_errors();
    let Some(new_plan) = c.plan.filter(|_| !bad) else {
        return Err(Failure::invalid(format_args!(
            "{} has errors, so it was not made the active plan; nothing was changed",
            file.display()
        ))
        .help("fix what is shown above (or ask whoever wrote it), then try again"));
    };
    let target = plan_path(paths);
    match read::read_capped(&target, plan::check::PLAN_FILE) {
        Ok(old) if old == source.as_bytes() => {
            let mut out = Out::stdout();
            writeln!(out, "{} is already the active plan.", file.display());
            return out.finish();
        }
        Ok(old) if !yes => {
            let (_, current) = plan::check_bytes(&old, &known);
            let current = current.plan.map_or_else(
                || "the current plan".to_owned(),
                |p| format!("the current plan, “{}”", p.title),
            );
            let question = format!("Replace {current} with “{}”? [y/N] ", new_plan.title);
            if !ask(&question)? {
                let mut out = Out::stdout();
                writeln!(out, "Kept {current}; nothing was changed.");
                return out.finish();
            }
        }
        Ok(_) => {}
        Err(e) if e.is_not_found() => {}
        Err(e) => {
            return Err(Failure::invalid(format_args!("{}: {e}", target.display())).help(e.help()));
        }
    }
    write_replacing(&target, &source)?;
    write_schema_copy(&paths.config_dir);
    let mut out = Out::stdout();
    writeln!(
        out,
        "“{}” is now your plan ({}).",
        new_plan.title,
        target.display()
    );
    writeln!(out, "`exhale plan show` shows this week.");
    out.finish()
}

/// Ask a yes/no question on the terminal; without one, refuse (the
/// answer would be a guess).
fn ask(question: &str) -> Result<bool, Failure> {
    if !crate::tty::keyboard() {
        return Err(Failure::invalid("there is already a plan, and no terminal to ask whether to replace it; nothing was changed")
            .help("run it in a terminal, or add --yes to replace the plan"));
    }
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{question}");
    let _ = err.flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::invalid(format_args!("cannot read the answer: {e}")))?;
    Ok(matches!(
        line.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

/// Write `content` to `target` whole: into a file beside it, then renamed
/// over it, so a failure leaves the old plan as it was.
fn write_replacing(target: &Path, content: &str) -> Result<(), Failure> {
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| {
        Failure::invalid(format_args!(
            "cannot create the folder {}: {e}",
            dir.display()
        ))
    })?;
    let tmp = dir.join(format!(".{}.new", plan::FILE_NAME));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(content.as_bytes()).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, target));
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Failure::invalid(format_args!("cannot write {}: {e}", target.display()))
    })
}

/// The active plan: `None` when there is none; its errors, rendered, when
/// it cannot be read.
pub fn load_active(paths: &Paths) -> Result<Option<Plan>, Failure> {
    let path = plan_path(paths);
    if !path.exists() {
        return Ok(None);
    }
    let (source, c) = plan::check_file(&path, &known(paths));
    match c.plan {
        Some(p) if !c.has_errors() => Ok(Some(p)),
        _ => Err(Failure::text(
            exit::INVALID,
            format!(
                "{}error: the plan has errors; fix them (`exhale plan check`), or take another with `exhale plan use FILE`",
                render_all(&c.diagnostics, &path.display().to_string(), &source)
            ),
        )),
    }
}

/// The sessions practised in the week of `today` (Monday to Sunday, by
/// journal day), read entry by entry without keeping the rest.
fn done_this_week(
    store: &Store,
    day_starts_at: u8,
    today: NaiveDate,
    warn: bool,
) -> Result<Vec<Done>, Failure> {
    let monday = adherence::monday_of(today);
    let sunday = monday + chrono::Days::new(6);
    let mut out = Vec::new();
    let mut skipped = 0usize;
    let window = adherence::Window::new(monday, sunday);
    let within = |raw: &[u8]| window.may_hold(raw);
    store
        .read_figures_where(Some(&within), &mut |line| match line {
            Seen::Entry(f, _) => {
                if let Some(d) = Done::of_figures(f, day_starts_at)
                    && d.day >= monday
                    && d.day <= sunday
                {
                    out.push(d);
                }
            }
            Seen::Restart => out.clear(),
            Seen::Skipped(s) => {
                skipped += 1;
                if warn && skipped <= 20 {
                    exit::eprintln(format_args!("{}", s.warning()));
                }
            }
        })
        .map_err(|e| Failure::invalid(format_args!("cannot read the journal: {e}")))?;
    if warn && skipped > 20 {
        exit::eprintln(format_args!(
            "warning: {} more lines of the journal could not be read and were skipped; the files are left as they are",
            skipped - 20
        ));
    }
    Ok(out)
}

/// The sessions practised in the week of `now`'s journal day, and that
/// day, whatever the plan.
pub fn practice_this_week(
    paths: &Paths,
    now: chrono::DateTime<chrono::FixedOffset>,
    warn: bool,
) -> Result<(Vec<Done>, NaiveDate), Failure> {
    let (store, settings) = crate::commands::journal::open(paths)?;
    let today = journal_day(now, settings.day_starts_at);
    let done = done_this_week(&store, settings.day_starts_at, today, warn)?;
    Ok((done, today))
}

/// The plan, this week's practice and today, or `None` without a plan.
fn this_week(paths: &Paths, warn: bool) -> Result<Option<(Plan, Vec<Done>, NaiveDate)>, Failure> {
    let Some(plan) = load_active(paths)? else {
        return Ok(None);
    };
    let (done, today) = practice_this_week(paths, clock::wall_now(), warn)?;
    Ok(Some((plan, done, today)))
}

/// The plan and the practices due today (their places in it), for the
/// picker; `None` without a plan, or when it or the journal cannot be
/// read (`exhale plan check` and `exhale today` say why).
pub fn due_today(paths: &Paths) -> Option<(Plan, Vec<usize>)> {
    let (plan, done, today) = this_week(paths, false).ok()??;
    let due = adherence::due(&plan, &done, today);
    Some((plan, due))
}

/// What a check-in asks beyond the 0-10 feeling: the plan's measures (or
/// the config's, when the plan names none), and the planned days of the
/// last week that went by without practice and were not asked about yet.
/// A plan or journal that cannot be read asks nothing more (`exhale plan
/// check` and `exhale today` say why).
pub fn asks(paths: &Paths, config: &crate::config::Config, store: &Store) -> Asks {
    asks_for(load_active(paths).ok().flatten().as_ref(), config, store)
}

/// [`asks`] for a plan already read.
pub fn asks_for(plan: Option<&Plan>, config: &crate::config::Config, store: &Store) -> Asks {
    let measures = match plan {
        Some(p) if !p.measures.is_empty() => p.measures.clone(),
        _ => config.measures.clone(),
    };
    let missed = plan
        .map(|p| {
            let day_starts_at = config.journal.day_starts_at;
            let today = journal_day(clock::wall_now(), day_starts_at);
            missed_days(store, p, day_starts_at, today).unwrap_or_default()
        })
        .unwrap_or_default();
    Asks { measures, missed }
}

/// The planned days to ask "What got in the way?" about
/// ([`adherence::missed`]), from the journal's last week.
fn missed_days(
    store: &Store,
    plan: &Plan,
    day_starts_at: u8,
    today: NaiveDate,
) -> Result<Vec<NaiveDate>, crate::journal::JournalError> {
    let first = today - chrono::Days::new(adherence::MISSED_LOOKBACK + 1);
    let window = adherence::Window::new(first, today);
    let within = |raw: &[u8]| window.may_hold(raw);
    let mut done = Vec::new();
    let mut asked: Vec<NaiveDate> = Vec::new();
    store.read_where(&within, &mut |line| {
        if let Line::Entry(e) = line {
            if let Some(w) = &e.in_the_way {
                asked.extend(w.days.iter().copied());
            }
            if let Some(d) = Done::of(&e, day_starts_at) {
                done.push(d);
            }
        }
    })?;
    Ok(adherence::missed(plan, &done, &asked, today))
}

/// What `exhale now` starts without a plan.
pub const NOW_DEFAULT: &str = "extended-exhale";

/// The session `exhale now` starts and its length: the plan's practice
/// for today (or its first), or [`NOW_DEFAULT`] as written when there is
/// no plan or it cannot be read.
pub fn now_choice(paths: &Paths) -> (String, plan::Length) {
    match this_week(paths, false) {
        Ok(Some((plan, done, today))) => {
            let p = adherence::now_practice(&plan, &done, today);
            (p.session.clone(), p.length)
        }
        _ => (NOW_DEFAULT.to_owned(), plan::Length::AsWritten),
    }
}

const NO_PLAN: &str = "There is no plan yet. `exhale plan new` writes one to start from; `exhale plan use FILE` takes one you were given.";

/// `exhale plan show`.
fn show(paths: &Paths) -> Outcome {
    let mut out = Out::stdout();
    match this_week(paths, true)? {
        None => writeln!(out, "{NO_PLAN}"),
        Some((plan, done, today)) => write!(out, "{}", adherence::show(&plan, &done, today)),
    }
    out.finish()
}

/// The command that starts a practice as planned.
pub fn run_command(p: &plan::Practice) -> String {
    p.run_command()
}

/// `exhale today`.
pub fn today(paths: &Paths) -> Outcome {
    let mut out = Out::stdout();
    let Some((plan, done, today)) = this_week(paths, true)? else {
        writeln!(out, "{NO_PLAN}");
        return out.finish();
    };
    writeln!(out, "Today, {}:", adherence::day_words(today));
    let mut any = false;
    for (i, state) in adherence::today(&plan, &done, today) {
        let p = &plan.practices[i];
        let length = p
            .length
            .words()
            .map(|l| format!(", {l}"))
            .unwrap_or_default();
        let line = match state {
            Today::Done => format!("{}{length}: done", p.session),
            Today::Planned => format!("{}{length}: planned  ({})", p.session, run_command(p)),
            Today::ThisWeek { done, planned } => format!(
                "{}{length}: {done} of {planned} days this week so far  ({})",
                p.session,
                run_command(p)
            ),
            Today::WeekDone | Today::NotToday => continue,
        };
        any = true;
        writeln!(out, "  {line}");
        if let (Some(note), Today::Planned | Today::ThisWeek { .. }) = (&p.note, state) {
            for l in note.lines() {
                writeln!(out, "    {l}");
            }
        }
    }
    if !any {
        writeln!(out, "  Nothing is planned today.");
    }
    out.finish()
}

/// `exhale due`: one short line when a practice is planned today and not
/// done yet, else nothing; exit 0 whatever happens (a shell prompt is no
/// place for an error: `exhale plan check` and `exhale today` say more).
pub fn due(paths: &Paths) -> Outcome {
    let Ok(Some((plan, done, today))) = this_week(paths, false) else {
        return Ok(());
    };
    let due = adherence::due(&plan, &done, today);
    let Some(first) = due.first() else {
        return Ok(());
    };
    let p = &plan.practices[*first];
    let length = p
        .length
        .words()
        .map(|l| format!(" ({l})"))
        .unwrap_or_default();
    let more = match due.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    let mut out = Out::stdout();
    writeln!(out, "{}{length}{more} today", p.session);
    let _ = out.finish();
    Ok(())
}

/// `exhale schema --plan`.
pub fn print_schema() -> Outcome {
    let mut out = std::io::stdout().lock();
    out.write_all(schema::schema_text().as_bytes())
        .map_err(|_| Failure::quiet(exit::INVALID))
}
