//! The resonance finder in plain mode (docs/resonance.md): the settle-in,
//! the five steps with rests, then the fine-tuning steps, each run by the
//! ordinary session loop, one line per event. Without heart-rate input,
//! each step is followed by a question (0-10: how easy and comfortable it
//! was), answered with a number and Enter; the answers are read from
//! standard input in order, even from a pipe, so a script can feed them.
//! With heart-rate input, the steps are scored from the beats.

use std::io::Write as _;
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;

use crate::audio::Chime;
use crate::clock::Clock;
use crate::engine::Timeline;
use crate::engine::finder::Plan;
use crate::engine::model::Session;
use crate::hr::protocol::{Now, Outcome, Protocol, Tell};
use crate::hr::score::Beat;
use crate::journal::assessment::Assessment;
use crate::journal::record::Record;
use crate::journal::{JournalError, Store};
use crate::signals::Signal;
use crate::text::rate as words;

use super::input::{Inputs, Msg};

/// Where heart rate comes from.
pub enum Heart {
    /// No sensor: the steps are rated.
    None,
    /// A recording, its beats timed from the start.
    Recording(Vec<Beat>),
    /// Lines on standard input as they come (`--hr-input -`), timed when
    /// they arrive unless they say their time.
    Live,
    /// Samples from elsewhere (a strap), timed when they arrive.
    Stream(Receiver<crate::hr::input::Sample>),
}

/// What the finder needs from the command that starts it.
pub struct Setup<'a> {
    /// The lengths of the pieces.
    pub plan: Plan,
    /// Heart-rate input.
    pub heart: Heart,
    /// Sound.
    pub chime: &'a dyn Chime,
    /// Where the result is kept (`None` with `--no-journal`).
    pub journal: Option<&'a Store>,
    /// The voice from the config and the command line, for every piece.
    pub voicing: crate::engine::model::Voicing,
    /// The pacing sound: `--pacing`, and the config's `[sound] pacing`.
    pub pacing: (
        Option<crate::engine::model::Pacing>,
        crate::engine::model::Pacing,
    ),
}

/// How it ended.
#[derive(Debug, Default)]
pub struct Ended {
    /// The signal that stopped it, if one did.
    pub signal: Option<Signal>,
    /// The rate found, if one was.
    pub rate: Option<f64>,
    /// Why the result could not be saved.
    pub not_saved: Option<String>,
}

/// A stopped run: a signal, or no more answers.
struct Stopped;

struct Run<'a> {
    voicing: crate::engine::model::Voicing,
    pacing: (
        Option<crate::engine::model::Pacing>,
        crate::engine::model::Pacing,
    ),
    clock: &'a dyn Clock,
    chime: &'a dyn Chime,
    inputs: Inputs,
    answers: Option<Receiver<Option<String>>>,
    start: Instant,
    out: std::io::StdoutLock<'static>,
}

impl Run<'_> {
    /// Seconds since the finder started, the time beats are placed on.
    fn elapsed(&self) -> f64 {
        self.clock.now().duration_since(self.start).as_secs_f64()
    }

    fn play(&mut self, session: &Session) -> Result<(), Stopped> {
        let mut session = session.clone();
        self.voicing.apply(&mut session);
        let session = &session;
        let timeline =
            Timeline::compile(session, Duration::ZERO).with_pacing(self.pacing.0, self.pacing.1);
        // Each piece is a session of its own: its sounds are decoded now.
        self.chime
            .prepare(&crate::audio::timeline_sounds(&timeline));
        // The session loop hears signals only: answers typed or piped in
        // are kept for the questions.
        let ran = super::session::run(
            timeline,
            super::lines::Form::timed(&session.title),
            self.clock,
            self.chime,
            &self.inputs.rx,
            &mut self.out,
        );
        if let Some(s) = ran.signal {
            self.inputs.signalled(s);
            return Err(Stopped);
        }
        if self.inputs.ended_by().is_some() {
            return Err(Stopped);
        }
        Ok(())
    }

    fn say(&mut self, line: &str) {
        let _ = writeln!(self.out, "{line}");
        let _ = self.out.flush();
    }

    /// Ask for a 0-10 rating of the step at `rate`.
    fn rating(&mut self, rate: f64) -> Result<u8, Stopped> {
        let question = format!(
            "How easy and comfortable was {} breaths a minute? 0 (not at all) to 10 (very), then Enter:",
            words(rate)
        );
        self.say(&question);
        loop {
            let Some(answers) = &self.answers else {
                return Err(Stopped);
            };
            let line = crossbeam_channel::select! {
                recv(answers) -> l => l.ok().flatten(),
                recv(self.inputs.rx) -> m => match m {
                    Ok(Msg::Signal(s)) => {
                        self.inputs.signalled(s);
                        return Err(Stopped);
                    }
                    _ => continue,
                },
            };
            let Some(line) = line else {
                self.say("no more answers: the finder stops here, and nothing is saved");
                return Err(Stopped);
            };
            match line.trim().parse::<u8>() {
                Ok(n) if n <= 10 => {
                    self.say(&format!("rated {} breaths a minute: {n}", words(rate)));
                    return Ok(n);
                }
                _ => self.say("a whole number from 0 to 10, please:"),
            }
        }
    }
}

/// Run the finder.
pub fn run(setup: Setup<'_>, clock: &dyn Clock) -> Ended {
    let rated = matches!(setup.heart, Heart::None);
    let answers = rated.then(read_answers);
    let mut run = Run {
        voicing: setup.voicing.clone(),
        pacing: setup.pacing,
        clock,
        chime: setup.chime,
        inputs: Inputs::start(false),
        answers,
        start: clock.now(),
        out: std::io::stdout().lock(),
    };
    let mut heart = match setup.heart {
        Heart::None => Source::None,
        Heart::Recording(b) => Source::Recording(b),
        Heart::Live => Source::Live(timed(run.start, stdin_samples())),
        Heart::Stream(rx) => Source::Live(timed(run.start, rx)),
    };
    let result = steps(&mut run, setup.plan, &mut heart);
    let mut ended = Ended {
        signal: run.inputs.ended_by(),
        ..Ended::default()
    };
    let Ok(outcome) = result else {
        return ended;
    };
    ended.rate = outcome.found.as_ref().ok().copied();
    match &outcome.found {
        Ok(r) => run.say(&format!(
            "your resonance rate: {} breaths a minute",
            words(*r)
        )),
        Err(why) => run.say(&format!(
            "the result is unclear: {why}; no rate is saved, so try again another day"
        )),
    }
    if let Some(store) = setup.journal {
        let a = Assessment::of(
            store.new_id(),
            Some(store.layout().machine.clone()),
            crate::clock::wall_now(),
            &outcome,
        );
        match store.append_record(&Record::Assessment(Box::new(a))) {
            Ok(()) => {
                run.say("saved to journal");
                if ended.rate.is_some() {
                    run.say("sessions with rate = \"resonance\", and --rate resonance, now breathe at it");
                }
            }
            Err(e) => ended.not_saved = Some(not_saved(&e)),
        }
    }
    ended
}

fn not_saved(e: &JournalError) -> String {
    e.to_string()
}

/// Heart-rate input once the finder runs.
enum Source {
    None,
    Recording(Vec<Beat>),
    Live(Receiver<Beat>),
}

/// Walk the protocol: play each piece, ask after each step when rated,
/// and say what the protocol tells between pieces.
fn steps(run: &mut Run<'_>, plan: Plan, heart: &mut Source) -> Result<Outcome, Stopped> {
    let mut p = Protocol::new(matches!(heart, Source::None));
    if let Source::Recording(b) = heart {
        p.beats(std::mem::take(b));
    }
    loop {
        let tells = match p.now() {
            Now::Play(piece) => {
                let start = run.elapsed();
                run.play(&piece.session(plan))?;
                if let Source::Live(rx) = &*heart {
                    p.beats(rx.try_iter());
                }
                p.played(start, run.elapsed())
            }
            Now::Rate(rate) => {
                let n = run.rating(rate)?;
                p.rated(n)
            }
            Now::Done => {
                for s in p.tuned_scores() {
                    run.say(&s.words());
                }
                return p.outcome().cloned().ok_or(Stopped);
            }
        };
        for t in tells {
            match t {
                Tell::Scored(s) => run.say(&s.words()),
                Tell::Best(best) => run.say(&format!(
                    "best so far: {} breaths a minute; now a quarter of a breath either side",
                    words(best)
                )),
            }
        }
    }
}

/// Lines from standard input, in order, whether it is a terminal or a
/// pipe; `None` once it ends.
fn read_answers() -> Receiver<Option<String>> {
    let (tx, rx) = crossbeam_channel::unbounded();
    std::thread::spawn(move || {
        let mut line = String::new();
        loop {
            line.clear();
            match std::io::stdin().read_line(&mut line) {
                Ok(n) if n > 0 => {
                    let l = line.trim_end_matches(['\n', '\r']).to_owned();
                    if tx.send(Some(l)).is_err() {
                        return;
                    }
                }
                _ => {
                    let _ = tx.send(None);
                    return;
                }
            }
        }
    });
    rx
}

/// Samples read live from standard input (`--hr-input -`). A line that
/// cannot be read is skipped with a warning naming its line and column.
pub fn stdin_samples() -> Receiver<crate::hr::input::Sample> {
    let (tx, rx) = crossbeam_channel::unbounded();
    std::thread::spawn(move || {
        let mut line = String::new();
        let mut n = 0;
        loop {
            line.clear();
            match std::io::stdin().read_line(&mut line) {
                Ok(k) if k > 0 => {
                    n += 1;
                    match crate::hr::input::parse_line(&line, n) {
                        Ok(Some(sample)) => {
                            if tx.send(sample).is_err() {
                                return;
                            }
                        }
                        Ok(None) => {}
                        Err(e) => crate::exit::eprintln(format_args!(
                            "warning: {}; the line is skipped",
                            e.at("-")
                        )),
                    }
                }
                _ => return,
            }
        }
    });
    rx
}

/// Beats of live samples: a sample without its own time ends when it
/// arrives, counted from `start`.
pub fn timed(start: Instant, samples: Receiver<crate::hr::input::Sample>) -> Receiver<Beat> {
    let (tx, rx) = crossbeam_channel::unbounded();
    std::thread::spawn(move || {
        let mut timer = crate::hr::input::Timer::default();
        for sample in samples {
            let at = crate::clock::now().duration_since(start).as_secs_f64();
            for b in timer.place(&sample, Some(at)) {
                if tx.send(b).is_err() {
                    return;
                }
            }
        }
    });
    rx
}
