//! `exhale export` with a plan: planned against done per week and per
//! practice, what got in the way, each measure's change before → after,
//! the check-ins with no session, and `--since` starting at the plan's
//! first day; the same data as CSV tables and JSON.

mod pty;

use chrono::{Days, NaiveDate};
use pty::Home;

fn today() -> NaiveDate {
    exhale::journal::day::journal_day(chrono::Local::now().fixed_offset(), 4)
}

/// One session entry at noon on `day`, with distress before and after.
fn session(n: u8, day: NaiveDate, before: u8, after: u8, extra: &str) -> String {
    let offset = chrono::Local::now().format("%:z");
    format!(
        r#"{{"v":2,"kind":"session","id":"0192f3a1-7c4e-7d2a-9b1f-3e5c8a6d2f{n:02}","machine":"test","started":"{day}T12:00:00{offset}","session":"extended-exhale","title":"Extended exhale","source_sha256":"00","planned_s":300,"practised_s":300,"ending":"completed","before":{{"score":4,"measures":{{"distress":{before}}}}},"after":{{"score":7,"measures":{{"distress":{after}}}}}{extra}}}"#
    )
}

fn setup() -> (Home, NaiveDate) {
    let home = Home::new();
    let t = today();
    let from = t - Days::new(6);
    std::fs::write(
        home.path().join("config/exhale/plan.toml"),
        format!(
            "title = \"Evenings with Dr Lee\"\nfrom = {from}\nreview = {}\n\n[[practice]]\nsession = \"extended-exhale\"\ndays = \"daily\"\n\n[[measure]]\nname = \"distress\"\nscale = \"suds\"\n",
            t + Days::new(7)
        ),
    )
    .expect("plan");
    let dir = home.path().join("data/exhale/journal");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let offset = chrono::Local::now().format("%:z");
    let before_plan = t - Days::new(20);
    let lines = [
        // Before the plan: left out by default.
        session(1, before_plan, 90, 90, ""),
        session(2, from, 70, 40, ""),
        session(3, from + Days::new(1), 60, 30, ""),
        session(
            4,
            from + Days::new(4),
            80,
            50,
            &format!(
                r#","in_the_way":{{"days":["{}","{}"],"answer":"no time"}}"#,
                from + Days::new(2),
                from + Days::new(3)
            ),
        ),
        format!(
            r#"{{"v":2,"kind":"checkin","id":"0192f3a1-7c4e-7d2a-9b1f-3e5c8a6d2f99","machine":"test","at":"{}T21:00:00{offset}","written":"{}T08:00:00{offset}","checkin":{{"score":3,"measures":{{"distress":85}}}},"note":"hard evening"}}"#,
            from + Days::new(2),
            from + Days::new(3)
        ),
    ];
    std::fs::write(dir.join("test.jsonl"), lines.join("\n") + "\n").expect("journal");
    (home, from)
}

fn export(home: &Home, args: &[&str]) -> String {
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    let out = home.exhale(&all).output().expect("run");
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).expect("utf8")
}

#[test]
fn the_markdown_report_shows_the_plan_what_got_in_the_way_and_what_helps() {
    let (home, _) = setup();
    let md = export(&home, &[]);
    assert!(md.contains("## The plan: planned and done"), "{md}");
    assert!(md.contains("Evenings with Dr Lee, from "), "{md}");
    // Six days planned before today (and today, not done yet): 7 planned, 3 practised.
    assert!(md.contains("| extended-exhale | 7 | 3 |"), "{md}");
    assert!(md.contains("## What got in the way"), "{md}");
    assert!(md.contains(": no time"), "{md}");
    // Distress: (70+60+80)/3 = 70.0 before, (40+30+50)/3 = 40.0 after.
    assert!(
        md.contains("| distress | Extended exhale | 3 | 70.0 | 40.0 | -30.0 |"),
        "{md}"
    );
    assert!(md.contains("## Check-ins without a session"), "{md}");
    assert!(
        md.contains("3 · distress 85 · “hard evening” (written later, "),
        "{md}"
    );
    // Since the plan began: the older session is left out, unless asked.
    assert!(md.contains("- **Sessions:** 3 "), "{md}");
    let all = export(&home, &["--all"]);
    assert!(all.contains("- **Sessions:** 4 "), "{all}");
}

#[test]
fn csv_tables_and_json_carry_the_same_figures() {
    let (home, from) = setup();
    let plan = export(&home, &["--format", "csv", "--table", "plan"]);
    let rows: Vec<&str> = plan.lines().collect();
    assert_eq!(rows[0], "week_of,session,planned,done");
    let (planned, done) = rows[1..].iter().fold((0, 0), |(p, d), r| {
        let f: Vec<&str> = r.split(',').collect();
        (
            p + f[2].parse::<u32>().expect("planned"),
            d + f[3].parse::<u32>().expect("done"),
        )
    });
    assert_eq!((planned, done), (7, 3));
    let changes = export(&home, &["--format", "csv", "--table", "changes"]);
    assert!(
        changes.contains("distress,Extended exhale,3,70.00,40.00,-30.00"),
        "{changes}"
    );
    let way = export(&home, &["--format", "csv", "--table", "in-the-way"]);
    assert!(
        way.contains(&format!(
            "{};{},no time",
            from + Days::new(2),
            from + Days::new(3)
        )),
        "{way}"
    );
    let sessions = export(&home, &["--format", "csv"]);
    assert!(sessions.contains("distress=70,distress=40"), "{sessions}");

    let json: serde_json::Value =
        serde_json::from_str(&export(&home, &["--format", "json"])).expect("json");
    assert_eq!(json["sessions"].as_array().map(Vec::len), Some(3));
    assert_eq!(json["checkins"].as_array().map(Vec::len), Some(1));
    assert_eq!(json["plan"]["title"], "Evenings with Dr Lee");
    assert_eq!(json["in_the_way"][0]["answer"], "no time");
    let d = json["changes"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["measure"] == "distress"))
        .expect("distress");
    assert_eq!(d["before"], 70.0);

    let bad = home
        .exhale(&["export", "--table", "plan"])
        .output()
        .expect("run");
    assert_eq!(bad.status.code(), Some(2));
}
