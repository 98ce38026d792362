//! `exhale remind add|list|remove|pause|resume|notify`: reminders at a
//! time of day about today's practice (docs/plans.md, "Reminders"). The
//! rules live in `remind`; this puts them together with the files, the
//! user manager and the notifier of a [`World`], which tests make of
//! fakes, and words what happened.

use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use clap::{Args, Subcommand};

use crate::clock;
use crate::commands::output::Out;
use crate::exit::{self, Failure, Outcome};
use crate::paths::Paths;
use crate::remind::notice::{self, Decision, Moment};
use crate::remind::notifier::{Desktop, Notifier};
use crate::remind::service::{self, Presence, ServiceManager, Systemctl};
use crate::remind::store::{self, Reminders};
use crate::remind::{self, DaySet, Pause, Reminder, TimeOfDay, Via, unit};

/// Options of `exhale remind`.
#[derive(Debug, Clone, Args)]
pub struct RemindArgs {
    /// What to do with reminders.
    #[command(subcommand)]
    pub command: RemindCommand,
}

/// The subcommands of `exhale remind`.
#[derive(Debug, Clone, Subcommand)]
pub enum RemindCommand {
    /// Add a reminder at a time of day: a systemd user timer, or a crontab line to add.
    Add {
        /// When, on a 24-hour clock: 21:00, 7:30.
        #[arg(value_name = "HH:MM", value_parser = remind::parse_time)]
        time: TimeOfDay,
        /// On which days: mon,wed,fri (or daily, weekdays, weekends); every day without it.
        #[arg(long, value_name = "DAYS", value_parser = remind::parse_days)]
        days: Option<DaySet>,
        /// Say nothing on a day when the plan's practice for today is already done.
        #[arg(long)]
        only_if_not_done: bool,
    },
    /// List the reminders, and the pause if there is one.
    List,
    /// Remove reminder N (its number in `exhale remind list`): its timer is disabled and its files deleted.
    Remove {
        /// The reminder's number.
        #[arg(value_name = "N")]
        n: u32,
    },
    /// Pause every reminder for a while: 3d, 12h, 1w, 90m (`off` resumes).
    Pause {
        /// How long: a number and a unit (m, h, d, w), or `off`.
        #[arg(value_name = "FOR", value_parser = remind::parse_pause)]
        length: Pause,
    },
    /// Resume reminders now, after `exhale remind pause`.
    Resume,
    /// Show today's reminder now (what a reminder's timer runs).
    #[command(hide = true)]
    Notify {
        /// Say nothing when today's plan is already met.
        #[arg(long)]
        only_if_not_done: bool,
    },
}

/// What the reminder commands act on: the folders, the time, the exhale
/// binary that units and crontab lines run, the user manager and the
/// notifier (fakes in tests).
pub struct World<'a> {
    /// exhale's folders.
    pub paths: &'a Paths,
    /// The time now.
    pub now: DateTime<FixedOffset>,
    /// The absolute path of the exhale binary.
    pub exe: PathBuf,
    /// systemd's user manager.
    pub services: &'a mut dyn ServiceManager,
    /// The desktop's notifications.
    pub notifier: &'a mut dyn Notifier,
}

/// `exhale remind ...`, with the real user manager and notifier.
pub fn remind(paths: &Paths, args: &RemindArgs) -> Outcome {
    let exe = std::env::current_exe().map_err(|e| {
        Failure::invalid(format_args!("cannot tell where the exhale binary is: {e}"))
    })?;
    let mut services = Systemctl::from_env();
    let mut notifier = Desktop;
    let mut world = World {
        paths,
        now: clock::wall_now(),
        exe,
        services: &mut services,
        notifier: &mut notifier,
    };
    let text = run(&mut world, &args.command)?;
    let mut out = Out::stdout();
    write!(out, "{text}");
    out.finish()
}

/// Do `command` in `world`; what to print on stdout. Notes that do not
/// stop the command go to stderr as they happen.
pub fn run(world: &mut World<'_>, command: &RemindCommand) -> Result<String, Failure> {
    match command {
        RemindCommand::Add {
            time,
            days,
            only_if_not_done,
        } => add(
            world,
            *time,
            days.clone().unwrap_or_default(),
            *only_if_not_done,
        ),
        RemindCommand::List => list(world),
        RemindCommand::Remove { n } => remove(world, *n),
        RemindCommand::Pause { length } => pause(world, *length),
        RemindCommand::Resume => pause(world, Pause::Off),
        RemindCommand::Notify { only_if_not_done } => notify(world, *only_if_not_done),
    }
}

fn store_file(world: &World<'_>) -> PathBuf {
    store::path(&world.paths.config_dir)
}

fn load(world: &World<'_>) -> Result<Reminders, Failure> {
    store::load(&store_file(world)).map_err(|rendered| Failure::text(exit::INVALID, rendered))
}

fn save(world: &World<'_>, reminders: &Reminders) -> Result<(), Failure> {
    store::save(&store_file(world), reminders).map_err(Failure::invalid)
}

/// "21:00 on Mon, Wed and Fri, unless today's plan is met".
fn described(r: &Reminder) -> String {
    let only = if r.only_if_not_done {
        ", unless today's plan is met"
    } else {
        ""
    };
    format!("{} {}{only}", r.at, r.days.words())
}

fn add(
    world: &mut World<'_>,
    at: TimeOfDay,
    days: DaySet,
    only_if_not_done: bool,
) -> Result<String, Failure> {
    let mut reminders = load(world)?;
    if let Some(same) = reminders
        .list
        .iter()
        .find(|r| r.at == at && r.days == days && r.only_if_not_done == only_if_not_done)
    {
        return Ok(format!(
            "Reminder {} is already set for {}; nothing was changed.\n",
            same.id,
            described(same)
        ));
    }
    if reminders.list.len() >= store::MAX_REMINDERS {
        return Err(Failure::usage(format_args!(
            "there are {} reminders already, the most there may be",
            store::MAX_REMINDERS
        ))
        .help("`exhale remind remove N` takes one away"));
    }
    let mut r = Reminder {
        id: reminders.next_id(),
        at,
        days,
        only_if_not_done,
        via: Via::Systemd,
    };
    let mut out = String::new();
    match world.services.presence() {
        Presence::Running => {
            let units = service::units_dir(&world.paths.config_dir);
            let files = service::install(&units, &r, &world.exe, world.services).map_err(|e| {
                Failure::invalid(format_args!("the reminder was not set: {e}")).help(format_args!(
                    "nothing was changed; with {}=1, `exhale remind add` prints a crontab line instead",
                    service::NO_SYSTEMD_VAR
                ))
            })?;
            reminders.list.push(r.clone());
            if let Err(e) = save(world, &reminders) {
                for note in service::uninstall(&units, r.id, world.services) {
                    exit::eprintln(format_args!("note: {note}"));
                }
                return Err(e);
            }
            let _ = writeln!(out, "Reminder {}: {}.", r.id, described(&r));
            let _ = writeln!(
                out,
                "Wrote {} and {}, and enabled the timer.",
                files[0].display(),
                files[1].display()
            );
        }
        Presence::Absent(why) => {
            r.via = Via::Cron;
            reminders.list.push(r.clone());
            save(world, &reminders)?;
            let _ = writeln!(out, "Reminder {}: {}.", r.id, described(&r));
            let _ = writeln!(
                out,
                "{why} To have it go off, add this line to your crontab (`crontab -e`):\n\n  {}\n",
                unit::crontab_line(&r, &world.exe)
            );
        }
    }
    let _ = writeln!(
        out,
        "`exhale remind list` shows your reminders; `exhale remind remove {}` takes this one away.",
        r.id
    );
    Ok(out)
}

fn paused_words(until: DateTime<FixedOffset>) -> String {
    until.format("%a %-d %b at %H:%M").to_string()
}

fn list(world: &World<'_>) -> Result<String, Failure> {
    let reminders = load(world)?;
    let mut out = String::new();
    if reminders.list.is_empty() {
        out.push_str(
            "No reminders: they are off until you add one, e.g. `exhale remind add 21:00`.\n",
        );
    }
    let width = reminders
        .list
        .iter()
        .map(|r| described(r).chars().count())
        .max()
        .unwrap_or(0);
    for r in &reminders.list {
        let how = match r.via {
            Via::Systemd => format!("systemd timer {}", unit::timer_name(r.id)),
            Via::Cron => "a crontab line".to_owned(),
        };
        let _ = writeln!(out, "{:>2}  {:<width$}  {how}", r.id, described(r));
    }
    if let Some(until) = reminders
        .paused_until
        .filter(|_| reminders.paused_at(world.now))
    {
        let _ = writeln!(
            out,
            "Paused until {} (`exhale remind resume` resumes them now).",
            paused_words(until)
        );
    }
    Ok(out)
}

fn remove(world: &mut World<'_>, id: u32) -> Result<String, Failure> {
    let mut reminders = load(world)?;
    let Some(at) = reminders.list.iter().position(|r| r.id == id) else {
        let numbers: Vec<String> = reminders.list.iter().map(|r| r.id.to_string()).collect();
        let help = if numbers.is_empty() {
            "there are no reminders; `exhale remind add 21:00` adds one".to_owned()
        } else {
            format!(
                "`exhale remind list` shows them; their numbers: {}",
                numbers.join(", ")
            )
        };
        return Err(Failure::usage(format_args!("there is no reminder number {id}")).help(help));
    };
    let r = reminders.list.remove(at);
    let mut out = String::new();
    match r.via {
        Via::Systemd => {
            let units = service::units_dir(&world.paths.config_dir);
            let notes = match world.services.presence() {
                Presence::Running => service::uninstall(&units, id, world.services),
                // No manager to tell now: the files go all the same.
                Presence::Absent(why) => {
                    let mut notes = vec![format!(
                        "{why} The timer could not be disabled, only its files deleted; `systemctl --user disable {}` in your desktop session finishes the job.",
                        unit::timer_name(id)
                    )];
                    for f in [unit::timer_name(id), unit::service_name(id)] {
                        let p = units.join(f);
                        if let Err(e) = std::fs::remove_file(&p)
                            && e.kind() != std::io::ErrorKind::NotFound
                        {
                            notes.push(format!("cannot delete {}: {e}", p.display()));
                        }
                    }
                    notes
                }
            };
            for note in &notes {
                exit::eprintln(format_args!("note: {note}"));
            }
            save(world, &reminders)?;
            let _ = writeln!(
                out,
                "Removed reminder {id} ({}): its timer is disabled and its files deleted.",
                described(&r)
            );
        }
        Via::Cron => {
            save(world, &reminders)?;
            let _ = writeln!(
                out,
                "Removed reminder {id} ({}) from the list. If you added its line to your crontab, take it out there too (`crontab -e`):\n\n  {}",
                described(&r),
                unit::crontab_line(&r, &world.exe)
            );
        }
    }
    Ok(out)
}

fn pause(world: &World<'_>, length: Pause) -> Result<String, Failure> {
    let mut reminders = load(world)?;
    let was = reminders.paused_at(world.now);
    let before = reminders.paused_until;
    let out = match length {
        Pause::Off => {
            reminders.paused_until = None;
            if was {
                "Reminders are on again.\n".to_owned()
            } else {
                "Reminders were not paused; nothing was changed.\n".to_owned()
            }
        }
        Pause::For(d) => {
            let until = world.now + d;
            reminders.paused_until = Some(until);
            let mut s = format!(
                "Reminders are paused until {}; `exhale remind resume` resumes them sooner.\n",
                paused_words(until)
            );
            if reminders.list.is_empty() {
                s.push_str("There are no reminders yet, so nothing would have gone off.\n");
            }
            s
        }
    };
    if reminders.paused_until != before {
        save(world, &reminders)?;
    }
    Ok(out)
}

fn notify(world: &mut World<'_>, only_if_not_done: bool) -> Result<String, Failure> {
    let reminders = load(world)?;
    // A plan or journal that cannot be read makes the reminder plainer,
    // not silent: it was asked for.
    let plan = match crate::commands::plan::load_active(world.paths) {
        Ok(p) => p,
        Err(_) => {
            exit::eprintln(format_args!(
                "note: the plan cannot be read (`exhale plan check` says why); the reminder leaves it out"
            ));
            None
        }
    };
    let (done, today) =
        match crate::commands::plan::practice_this_week(world.paths, world.now, false) {
            Ok(week) => week,
            Err(e) => {
                exit::eprintln(format_args!(
                    "note: the journal cannot be read, so the reminder counts nothing as done: {}",
                    e.message
                ));
                (Vec::new(), world.now.date_naive())
            }
        };
    let moment = Moment {
        plan: plan.as_ref(),
        done: &done,
        today,
        now: world.now,
        paused_until: reminders.paused_until,
    };
    match notice::decide(&moment, only_if_not_done) {
        Decision::Quiet(why) => Ok(format!("Nothing to show: {why}.\n")),
        Decision::Show(n) => {
            world.notifier.show(&n).map_err(|e| {
                Failure::invalid(e).help(
                    "notifications go to the desktop's notification server over the session D-Bus; `notify-send hello` tries it outside exhale",
                )
            })?;
            Ok(format!("Shown: {}\n{}\n", n.summary, n.body))
        }
    }
}
