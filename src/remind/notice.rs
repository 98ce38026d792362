//! What a reminder says when it goes off, and when it says nothing: a
//! pure function of the plan (if any), the sessions practised this week,
//! today's journal day, the pause and the time. The words are kind and
//! short: what is planned and the command that starts it, never a count
//! of what was missed.

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::plan::Plan;
use crate::plan::adherence::{self, Done, Today};
use crate::text::and_list;

/// A notification: its title and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The title.
    pub summary: String,
    /// The text under it.
    pub body: String,
}

/// What a reminder does when it goes off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Show this.
    Show(Notice),
    /// Say nothing, and why (for `exhale remind notify`'s own output).
    Quiet(&'static str),
}

/// What a reminder knows when it goes off.
#[derive(Debug, Clone, Copy)]
pub struct Moment<'a> {
    /// The active plan, if there is one that can be read.
    pub plan: Option<&'a Plan>,
    /// The sessions practised this week.
    pub done: &'a [Done],
    /// Today's journal day.
    pub today: NaiveDate,
    /// The time now.
    pub now: DateTime<FixedOffset>,
    /// Reminders are paused until then.
    pub paused_until: Option<DateTime<FixedOffset>>,
}

const TITLE: &str = "A moment to breathe";

/// What to do: `only_if_not_done` keeps quiet once today's plan is met
/// (without a plan: once anything was practised today).
pub fn decide(m: &Moment<'_>, only_if_not_done: bool) -> Decision {
    if m.paused_until.is_some_and(|u| m.now < u) {
        return Decision::Quiet("reminders are paused");
    }
    let practised_today = m.done.iter().any(|d| d.day == m.today);
    let Some(plan) = m.plan else {
        if only_if_not_done && practised_today {
            return Decision::Quiet("you have practised today already");
        }
        let body = if practised_today {
            "You have practised today already. If you would like a few more minutes: exhale now"
        } else {
            "A few minutes of breathing, whenever it suits you: exhale now"
        };
        return Decision::Show(Notice {
            summary: TITLE.into(),
            body: body.into(),
        });
    };
    let states = adherence::today(plan, m.done, m.today);
    let due: Vec<usize> = states
        .iter()
        .filter(|(_, t)| t.is_due())
        .map(|(i, _)| *i)
        .collect();
    let Some(first) = due.first() else {
        if only_if_not_done {
            return Decision::Quiet("nothing planned for today is left to do");
        }
        let any_done = states.iter().any(|(_, t)| *t == Today::Done);
        let body = if any_done {
            "Today's practice is done. This is only the reminder you set; there is nothing more to do."
        } else {
            "Nothing is planned for today. If you would like a few minutes anyway: exhale now"
        };
        return Decision::Show(Notice {
            summary: TITLE.into(),
            body: body.into(),
        });
    };
    let names: Vec<String> = due
        .iter()
        .map(|i| {
            let p = &plan.practices[*i];
            match p.length.words() {
                Some(l) => format!("{} ({l})", p.session),
                None => p.session.clone(),
            }
        })
        .collect();
    let p = &plan.practices[*first];
    let mut body = format!(
        "Planned for today: {}.\nWhenever it suits you: {}",
        and_list(&names),
        p.run_command()
    );
    if let Some(note) = &p.note {
        body.push_str(&format!("\n{}", note.trim()));
    }
    Decision::Show(Notice {
        summary: TITLE.into(),
        body,
    })
}
