//! How long `exhale due` takes on a long journal: 10,000 entries (about
//! 27 years of daily practice), read as the command reads them (every
//! file, each entry once, lines outside this week passed over unparsed)
//! and set against a plan. The goal is under 20 ms for the whole command
//! (docs/plans.md); start-up and the plan file add well under 1 ms.

use chrono::{Days, NaiveDate};
use exhale::journal::figures::Seen;
use exhale::journal::{Layout, Store};
use exhale::plan::adherence::{self, Done, Window};
use exhale::plan::{Days as PlanDays, Length, Plan, Practice};

fn main() {
    divan::main();
}

const N: u64 = 10_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).expect("date")
}

/// A journal of `N` sessions, one a day up to today, in a temporary data
/// folder.
fn journal() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let layout = Layout::new(&dir.path().join("data"), None, "laptop");
    std::fs::create_dir_all(layout.write_dir()).expect("journal folder");
    let names = ["extended-exhale", "box", "sigh", "body-scan"];
    let mut text = String::new();
    for i in 0..N {
        let day = today() - Days::new(N - i);
        text.push_str(&format!(
            r#"{{"v":2,"kind":"session","id":"0192f3a1-7c4e-7d2a-9b1f-{i:012x}","machine":"laptop","started":"{day}T20:30:00+01:00","session":"{}","title":"Session","source_sha256":"{}","planned_s":300,"practised_s":{},"ending":"completed","cycles":40,"before":{{"score":4}},"after":{{"score":6,"words":"calmer"}},"note":"noticed the breath slow down"}}"#,
            names[(i % 4) as usize],
            "ab".repeat(32),
            240 + i % 120
        ));
        text.push('\n');
    }
    std::fs::write(layout.own_file(), text).expect("write journal");
    (dir, Store::new(layout))
}

fn plan() -> Plan {
    Plan {
        title: "Between sessions".into(),
        from: NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
        until: None,
        review: None,
        practices: vec![
            Practice {
                session: "extended-exhale".into(),
                days: PlanDays::Daily,
                length: Length::Minutes(5.0),
                note: None,
            },
            Practice {
                session: "box".into(),
                days: PlanDays::PerWeek(3),
                length: Length::AsWritten,
                note: None,
            },
        ],
        avoid: None,
        measures: Vec::new(),
    }
}

#[divan::bench(sample_count = 30)]
fn due_on_10k_entries(bencher: divan::Bencher<'_, '_>) {
    let (_dir, store) = journal();
    let plan = plan();
    bencher.bench_local(|| {
        let monday = adherence::monday_of(today());
        let window = Window::new(monday, monday + Days::new(6));
        let keep = |raw: &[u8]| window.may_hold(raw);
        let mut done = Vec::new();
        store
            .read_figures_where(Some(&keep), &mut |line| match line {
                Seen::Entry(f, _) => done.extend(Done::of_figures(f, 4)),
                Seen::Restart => done.clear(),
                Seen::Skipped(_) => {}
            })
            .expect("read");
        adherence::due(&plan, &done, today())
    });
}
