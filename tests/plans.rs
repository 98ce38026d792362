//! The plan file (docs/plans.md): the corpus of valid and invalid plans
//! with the first error each gives (tests/plans/invalid.toml), the JSON
//! Schema against the checker, and `exhale plan check|new|use` and
//! `exhale schema --plan` through the real binary in a temporary home.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use exhale::library::Library;
use exhale::plan::{self, Known};
use predicates::prelude::*;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn known() -> Known {
    Known::from_library(&Library::load(None))
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

#[derive(serde::Deserialize)]
struct Case {
    file: String,
    line: usize,
    column: usize,
    message: String,
    help: String,
    category: String,
}

#[derive(serde::Deserialize)]
struct Cases {
    case: Vec<Case>,
}

fn cases() -> Vec<Case> {
    let text = read(&root().join("tests/plans/invalid.toml"));
    toml::from_str::<Cases>(&text)
        .unwrap_or_else(|e| panic!("invalid.toml: {e}"))
        .case
}

#[test]
fn every_valid_plan_checks_without_a_word() {
    let files = toml_files(&root().join("tests/plans/valid"));
    assert!(files.len() >= 3);
    for f in files {
        let (_, c) = plan::check_file(&f, &known());
        assert!(
            c.diagnostics.is_empty(),
            "{}: {:?}",
            f.display(),
            c.diagnostics
        );
        assert!(c.plan.is_some(), "{}", f.display());
    }
}

#[test]
fn every_invalid_plan_gives_its_error_at_its_place_with_a_hint() {
    let cases = cases();
    let listed: Vec<&str> = cases.iter().map(|c| c.file.as_str()).collect();
    for f in toml_files(&root().join("tests/plans/invalid")) {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        assert!(listed.contains(&name), "{name} is not in invalid.toml");
    }
    for case in &cases {
        let path = root().join("tests/plans/invalid").join(&case.file);
        let (source, c) = plan::check_file(&path, &known());
        assert!(c.plan.is_none(), "{}: accepted", case.file);
        let first = c
            .diagnostics
            .iter()
            .find(|d| d.is_error())
            .unwrap_or_else(|| panic!("{}: no error", case.file));
        assert!(
            first.message.contains(&case.message),
            "{}: {:?}",
            case.file,
            first.message
        );
        assert_eq!(
            first.line_col(&source),
            Some((case.line, case.column)),
            "{}: {}",
            case.file,
            first.message
        );
        let help = first.help.as_deref().unwrap_or("");
        assert!(help.contains(&case.help), "{}: help {help:?}", case.file);
    }
}

#[test]
fn a_checker_error_is_rendered_with_file_line_and_column() {
    let path = root().join("tests/plans/invalid/unknown-session.toml");
    let (source, c) = plan::check_file(&path, &known());
    let text = exhale::format::diagnostic::render_all(&c.diagnostics, "plan.toml", &source);
    assert!(text.contains("--> plan.toml:5:11"), "{text}");
    assert!(text.contains("did you mean `extended-exhale`?"), "{text}");
}

/// TOML text as an editor's schema check sees it: dates as strings.
fn to_json(text: &str) -> Value {
    fn dates_as_text(v: toml::Value) -> Value {
        match v {
            toml::Value::Datetime(d) => Value::String(d.to_string()),
            toml::Value::Array(items) => {
                Value::Array(items.into_iter().map(dates_as_text).collect())
            }
            toml::Value::Table(t) => {
                Value::Object(t.into_iter().map(|(k, v)| (k, dates_as_text(v))).collect())
            }
            other => serde_json::to_value(other).unwrap_or(Value::Null),
        }
    }
    let table: toml::Table = toml::from_str(text).unwrap_or_else(|e| panic!("{e}"));
    dates_as_text(toml::Value::Table(table))
}

struct Schema {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Schema {
    fn plan() -> Self {
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        let url = "file:///plan.schema.json";
        compiler
            .add_resource(url, plan::schema::schema())
            .unwrap_or_else(|e| panic!("{e}"));
        let index = compiler
            .compile(url, &mut schemas)
            .unwrap_or_else(|e| panic!("{e:#}"));
        Self { schemas, index }
    }

    fn accepts(&self, doc: &Value) -> bool {
        self.schemas.validate(doc, self.index).is_ok()
    }
}

#[test]
fn the_schema_agrees_with_the_checker_on_the_corpus() {
    let schema = Schema::plan();
    for f in toml_files(&root().join("tests/plans/valid")) {
        assert!(schema.accepts(&to_json(&read(&f))), "{}", f.display());
    }
    for case in cases() {
        let text = read(&root().join("tests/plans/invalid").join(&case.file));
        match case.category.as_str() {
            "syntax" => {}
            // Only the checker knows the sessions and the order of dates.
            "meaning" => assert!(schema.accepts(&to_json(&text)), "{}", case.file),
            _ => assert!(!schema.accepts(&to_json(&text)), "{}", case.file),
        }
    }
}

#[test]
fn the_committed_schema_is_what_exhale_prints() {
    let committed = read(&root().join("docs/plan.schema.json"));
    assert_eq!(
        committed,
        plan::schema::schema_text(),
        "docs/plan.schema.json is out of date: run `cargo run -- schema --plan > docs/plan.schema.json`"
    );
    Command::new(env!("CARGO_BIN_EXE_exhale"))
        .args(["schema", "--plan"])
        .assert()
        .success()
        .stdout(committed);
}

struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}")),
        }
    }

    fn exhale(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_exhale"));
        c.env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("NO_COLOR", "1");
        c
    }

    fn plan(&self) -> PathBuf {
        self.dir.path().join("config/exhale/plan.toml")
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
        p
    }
}

#[test]
fn plan_new_writes_a_valid_plan_with_a_schema_line_and_never_overwrites() {
    let home = Home::new();
    home.exhale()
        .args(["plan", "check"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("there is no plan yet"))
        .stderr(predicate::str::contains("exhale plan new"));
    home.exhale()
        .args(["plan", "new"])
        .assert()
        .success()
        .stdout(predicate::str::contains("exhale plan check"));
    let text = read(&home.plan());
    assert!(text.starts_with("#:schema ./plan.schema.json\n"), "{text}");
    let schema = read(&home.dir.path().join("config/exhale/plan.schema.json"));
    assert_eq!(schema, plan::schema::schema_text());
    home.exhale()
        .args(["plan", "check"])
        .assert()
        .success()
        .stdout(predicate::str::ends_with("plan.toml: ok\n"));
    std::fs::write(home.plan(), "# mine\n").unwrap_or_else(|e| panic!("{e}"));
    home.exhale()
        .args(["plan", "new"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "already exists; nothing was changed",
        ));
    assert_eq!(read(&home.plan()), "# mine\n");
}

#[test]
fn plan_check_of_a_bad_file_says_where_and_exits_1() {
    let home = Home::new();
    let f = home.file(
        "sent.toml",
        "title = \"T\"\nfrom = 2026-12-01\n[[practice]]\nsession = \"bxo\"\ndays = 3\n",
    );
    home.exhale()
        .args(["plan", "check"])
        .arg(&f)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("sent.toml: 1 error"))
        .stderr(predicate::str::contains("sent.toml:4:11"))
        .stderr(predicate::str::contains("no session named `bxo`"))
        .stderr(predicate::str::contains("did you mean `box`?"));
}

const SENT: &str = "title = \"From Dr Lee\"\nfrom = 2026-12-01\nweeks = 4\n[[practice]]\nsession = \"sigh\"\ndays = \"daily\"\n";

#[test]
fn plan_use_checks_first_and_asks_before_replacing() {
    let home = Home::new();
    let bad = home.file("bad.toml", "title = \"T\"\n");
    home.exhale()
        .args(["plan", "use"])
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("was not made the active plan"));
    assert!(!home.plan().exists());

    let sent = home.file("sent.toml", SENT);
    home.exhale()
        .args(["plan", "use"])
        .arg(&sent)
        .assert()
        .success()
        .stdout(predicate::str::contains("“From Dr Lee” is now your plan"));
    assert_eq!(read(&home.plan()), SENT);

    // Another plan: with no terminal to ask on, nothing is replaced.
    let other = home.file("other.toml", &SENT.replace("From Dr Lee", "Another"));
    home.exhale()
        .args(["plan", "use"])
        .arg(&other)
        .write_stdin("y\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--yes"));
    assert_eq!(read(&home.plan()), SENT);
    home.exhale()
        .args(["plan", "use", "--yes"])
        .arg(&other)
        .assert()
        .success();
    assert!(read(&home.plan()).contains("Another"));
}

mod adherence_props {
    use chrono::{Days as DayCount, NaiveDate, Weekday};
    use exhale::plan::adherence::{self, Done, Today};
    use exhale::plan::{Days, Length, Plan, Practice};
    use proptest::prelude::*;

    fn day(offset: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default() + DayCount::new(u64::from(offset))
    }

    fn days() -> impl Strategy<Value = Days> {
        prop_oneof![
            Just(Days::Daily),
            (1u8..=7).prop_map(Days::PerWeek),
            proptest::collection::btree_set(0u8..7, 1..=7).prop_map(|set| {
                Days::On(
                    set.into_iter()
                        .map(|d| Weekday::try_from(d).unwrap_or(Weekday::Mon))
                        .collect(),
                )
            }),
        ]
    }

    fn length() -> impl Strategy<Value = Length> {
        prop_oneof![
            Just(Length::AsWritten),
            (0.1f64..1440.0).prop_map(Length::Minutes),
            (1u32..100_000).prop_map(Length::Cycles),
        ]
    }

    const SESSIONS: &[&str] = &["sigh", "box", "body-scan", "extended-exhale"];

    prop_compose! {
        fn plan()(
            from in 0u32..400,
            len in proptest::option::of(0u32..200),
            review in proptest::option::of(0u32..600),
            practices in proptest::collection::vec((0usize..4, days(), length(), proptest::option::of("[a-z \n]{0,40}")), 1..5),
        ) -> Plan {
            Plan {
                title: "A plan".into(),
                from: day(from),
                until: len.map(|l| day(from + l)),
                review: review.map(day),
                practices: practices
                    .into_iter()
                    .map(|(s, days, length, note)| Practice {
                        session: SESSIONS[s].into(),
                        days,
                        length,
                        note,
                    })
                    .collect(),
                avoid: None,
            measures: Vec::new(),
            }
        }
    }

    proptest! {
        #[test]
        fn plan_show_never_panics_and_due_is_what_today_offers(
            plan in plan(),
            done in proptest::collection::vec((0u32..700, 0usize..4), 0..40),
            today in 0u32..700,
        ) {
            let done: Vec<Done> = done
                .into_iter()
                .map(|(d, s)| Done { day: day(d), session: SESSIONS[s].into() })
                .collect();
            let today = day(today);
            let text = adherence::show(&plan, &done, today);
            prop_assert!(text.starts_with("A plan\n"));
            let states = adherence::today(&plan, &done, today);
            prop_assert_eq!(states.len(), plan.practices.len());
            let due = adherence::due(&plan, &done, today);
            for (i, state) in states {
                prop_assert_eq!(due.contains(&i), state.is_due());
                if !plan.runs_on(today) {
                    prop_assert_eq!(state, Today::NotToday);
                }
            }
            for pw in adherence::week(&plan, &done, today).practices {
                prop_assert!(pw.done <= 7 && pw.planned <= 7);
            }
        }
    }
}

/// Today's journal day as exhale counts it (days start at 4 a.m.).
fn journal_today() -> chrono::NaiveDate {
    (chrono::Local::now().naive_local() - chrono::TimeDelta::hours(4)).date()
}

fn write_entry(home: &Home, session: &str, day: chrono::NaiveDate) {
    let dir = home.dir.path().join("data/exhale/journal");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let offset = chrono::Local::now().format("%:z");
    let line = format!(
        r#"{{"v":2,"kind":"session","id":"0192f3a1-7c4e-7d2a-9b1f-3e5c8a6d2f10","machine":"test","started":"{day}T12:00:00{offset}","session":"{session}","title":"T","source_sha256":"00","planned_s":300,"practised_s":300,"ending":"completed"}}"#
    );
    std::fs::write(dir.join("test.jsonl"), format!("{line}\n")).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn due_says_one_short_line_until_today_is_done_and_nothing_otherwise() {
    let home = Home::new();
    let due = |home: &Home| {
        let out = home
            .exhale()
            .env("EXHALE_MACHINE", "test")
            .arg("due")
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(0));
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // No plan: nothing.
    assert_eq!(due(&home), "");
    let today = journal_today();
    let plan = format!(
        "title = \"Daily\"\nfrom = {}\n[[practice]]\nsession = \"sigh\"\ndays = \"daily\"\nminutes = 3\n",
        today - chrono::Days::new(3)
    );
    std::fs::create_dir_all(home.plan().parent().unwrap_or(Path::new("/")))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(home.plan(), &plan).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(due(&home), "sigh (3 min) today\n");
    home.exhale()
        .arg("today")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "sigh, 3 min: planned  (exhale run sigh --minutes 3)",
        ));
    // Practised yesterday: still due today.
    write_entry(&home, "sigh", today - chrono::Days::new(1));
    assert_eq!(due(&home), "sigh (3 min) today\n");
    home.exhale()
        .args(["plan", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains("today: planned"));
    // Practised today: nothing.
    write_entry(&home, "sigh", today);
    assert_eq!(due(&home), "");
    home.exhale()
        .arg("today")
        .assert()
        .success()
        .stdout(predicate::str::contains("sigh, 3 min: done"));
    // The entry removed from the journal (a tombstone): due again.
    let file = home.dir.path().join("data/exhale/journal/test.jsonl");
    let mut text = read(&file);
    text.push_str(r#"{"v":2,"kind":"remove","id":"0192f9b4-0a0b-7c0d-9e0f-112233445566","machine":"test","of":"0192f3a1-7c4e-7d2a-9b1f-3e5c8a6d2f10"}"#);
    text.push('\n');
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(due(&home), "sigh (3 min) today\n");
    // A broken plan: `due` stays quiet, `today` says what is wrong.
    std::fs::write(home.plan(), plan.replace("sigh", "sihg")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(due(&home), "");
    home.exhale()
        .arg("today")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("did you mean `sigh`?"));
}

#[test]
fn plan_show_without_a_plan_says_how_to_make_one() {
    Home::new()
        .exhale()
        .args(["plan", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains("There is no plan yet"));
}

#[test]
fn now_starts_the_plan_s_practice_at_once_with_no_check_in() {
    let home = Home::new();
    let config = home.dir.path().join("config/exhale");
    std::fs::create_dir_all(config.join("sessions")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(config.join("config.toml"), "settle_in = 0\nclosing = 0\n")
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        config.join("sessions/quick.toml"),
        "name = \"Quick\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 0.2 }, { out = 0.2 }]\ncycles = 5\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        home.plan(),
        format!(
            "title = \"T\"\nfrom = {}\n[[practice]]\nsession = \"quick\"\ndays = \"daily\"\ncycles = 2\n",
            journal_today()
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    home.exhale()
        .env("EXHALE_MACHINE", "test")
        .args(["now", "--plain"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Quick"));
    let journal = read(&home.dir.path().join("data/exhale/journal/test.jsonl"));
    assert!(journal.contains(r#""session":"quick""#), "{journal}");
    assert!(
        journal.contains(r#""cycles":2"#),
        "the plan's length: {journal}"
    );
    // No check-in was asked: the entry says so.
    assert!(
        journal.contains(r#""before":{"skipped":"disabled"}"#),
        "{journal}"
    );
}
