//! The session loop of plain mode: print each event's line the moment
//! it is due and play its sound, and act on what is typed (Enter ends a
//! hold, `q` stops, `m`, `+` and `-` control the sound) or on a signal.
//! Time comes from a [`Clock`], so tests run whole sessions at once.

use std::io::{self, Write};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError};

use crate::audio::Chime;
use crate::audio::pacing::Pacer;
use crate::clock::Clock;
use crate::engine::model::Bed;
use crate::engine::player::{Ending, Outcome, Player};
use crate::engine::{Event, EventKind, Timeline};
use crate::signals::Signal;

use super::input::Msg;
use super::lines;

/// Something from outside the session loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// The user pressed Enter (only sent when stdin is a terminal).
    Enter,
    /// A signal asked to quit (Ctrl-C, SIGTERM, SIGHUP...).
    Quit(Signal),
    /// A line `q`: stop the session here (then the check-in after it).
    Stop,
    /// A line `m`: mute or unmute.
    ToggleMute,
    /// A line `+`: louder.
    VolumeUp,
    /// A line `-`: softer.
    VolumeDown,
    /// A line `b`: the next sound bed.
    NextBed,
}

impl Input {
    /// What a line typed on stdin means: `m` mutes or unmutes, `+` and `-`
    /// change the volume, `b` moves to the next sound bed, `q` stops,
    /// anything else (an empty line) is Enter.
    pub fn from_line(line: &str) -> Self {
        match line.trim() {
            "m" | "M" => Input::ToggleMute,
            "q" | "Q" => Input::Stop,
            "+" | "=" => Input::VolumeUp,
            "-" | "_" => Input::VolumeDown,
            "b" | "B" => Input::NextBed,
            _ => Input::Enter,
        }
    }
}

/// How long after the start plain mode keeps looking for an audio notice.
const NOTICE_WATCH: Duration = Duration::from_secs(2);

/// Apply a sound control to `chime`; the line to print about it, without
/// its time stamp.
pub fn sound_control(chime: &dyn Chime, input: Input) -> Option<String> {
    match input {
        Input::ToggleMute => {
            let before = chime.is_muted();
            chime.set_muted(!before);
            let text = match chime.is_muted() {
                // Nothing to toggle: sound was turned off (--no-sound).
                now if now == before => "sound is off",
                true => "muted",
                false => "unmuted",
            };
            Some(text.to_owned())
        }
        Input::VolumeUp | Input::VolumeDown => {
            let v = crate::audio::step_volume(chime.volume(), input == Input::VolumeUp);
            chime.set_volume(v);
            if (chime.volume() - v).abs() > 0.001 {
                // The volume did not take: sound was turned off (--no-sound).
                return Some("sound is off".to_owned());
            }
            Some(format!(
                "volume {}%",
                (chime.volume() * 100.0).round() as u32
            ))
        }
        Input::Enter | Input::Quit(_) | Input::Stop | Input::NextBed => None,
    }
}

/// How the session loop ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Ran {
    /// What was practised.
    pub outcome: Outcome,
    /// The signal that stopped it, if one did.
    pub signal: Option<Signal>,
}

/// Run a session in plain mode until it ends or a quit arrives. `enter`
/// says whether Enter from stdin ends retention holds (stdin is a
/// terminal); otherwise holds run to their cap.
///
/// If the output goes away (a closed pipe: `exhale run box --plain | head
/// -3`), the session stops there as interrupted and its outcome is still
/// returned, so the journal keeps the entry.
pub fn run(
    timeline: Timeline,
    form: lines::Form<'_>,
    clock: &dyn Clock,
    chime: &dyn Chime,
    inputs: &Receiver<Msg>,
    out: &mut dyn Write,
) -> Ran {
    // The bed fades in with the session and out at its end, however it
    // ends.
    chime.set_bed(timeline.bed);
    // Sounds are handed to the player ahead of their moment, so each
    // starts on its sample (see `audio::hand_out`).
    let mut player = Player::new(timeline, clock.now()).with_lead(chime.lead());
    let mut ending = Ending::Completed;
    let mut signal = None;
    let mut pacer = Pacer::default();
    let driven = drive(
        &mut player,
        &mut pacer,
        &mut ending,
        &mut signal,
        form,
        clock,
        chime,
        inputs,
        out,
    );
    chime.set_bed(Bed::None);
    pacer.stop(chime);
    // A stop revokes what was handed ahead: the next phase's chime, say.
    crate::audio::hand_out(chime, &mut player, clock.now());
    if driven.is_err() {
        // Nobody is reading any more: stop here, without another line.
        let now = clock.now();
        player.stop(now);
        return Ran {
            outcome: player.outcome(now, Ending::Interrupted),
            signal,
        };
    }
    let outcome = player.outcome(clock.now(), ending);
    // The summary is a courtesy; a closed output must not lose the outcome.
    let _ = writeln!(out, "{}", lines::summary_line(&outcome)).and_then(|()| out.flush());
    if ending == Ending::Completed {
        let mut ring_out = Duration::from_secs(4);
        if player.schedule().timeline().speak_summary {
            let at = clock.now() + crate::audio::speech::SUMMARY_AFTER;
            chime.say(&crate::audio::speech::summary(&outcome), at);
            // A sentence or two after the end sound.
            ring_out = Duration::from_secs(15);
        }
        // Let the closing sound ring out, the summary be said and the bed
        // fade, before the program exits.
        chime.wait_quiet(ring_out);
    }
    Ran { outcome, signal }
}

/// The session loop; `Err` when the output cannot be written.
#[allow(clippy::too_many_arguments)] // the loop's state and its world, each once
fn drive(
    player: &mut Player,
    pacer: &mut Pacer,
    ending: &mut Ending,
    signal: &mut Option<Signal>,
    form: lines::Form<'_>,
    clock: &dyn Clock,
    chime: &dyn Chime,
    inputs: &Receiver<Msg>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut noticed = false;
    // The bed playing: the session's, then whichever `b` chose.
    let mut bed = player.schedule().timeline().bed;
    loop {
        let now = clock.now();
        if !noticed {
            if let Some(n) = chime.notice() {
                // Once, on stderr, so stdout stays one line per event.
                crate::exit::eprintln(format_args!("exhale: {n}"));
                noticed = true;
            }
        }
        for ev in player.poll(now) {
            if let Some(line) = form.event(player.schedule(), &ev) {
                writeln!(out, "{line}")?;
            }
            // The announced form says how to end a hold in its sentence.
            if !form.announce
                && ev.kind == EventKind::SegmentStart(ev_index(&ev))
                && player.in_open_segment(now)
            {
                writeln!(
                    out,
                    "{}  (press Enter to end the hold)",
                    lines::stamp(ev.at)
                )?;
            }
        }
        crate::audio::hand_out(chime, player, now);
        pacer.follow(chime, player, now);
        out.flush()?;
        if player.finished(now) {
            return Ok(());
        }
        let mut timeout = player
            .next_wake(now)
            .map_or(Duration::from_secs(1), |w| w.saturating_duration_since(now));
        if !noticed && player.elapsed(now) < NOTICE_WATCH {
            // The audio device opens in the background; look again soon so
            // a "no audio device" notice shows at the start, not a phase later.
            timeout = timeout.min(Duration::from_millis(100));
        }
        let input = match inputs.recv_timeout(clock.wait(timeout)) {
            Ok(Msg::Line(l)) => Input::from_line(&l),
            Ok(Msg::Signal(s)) => Input::Quit(s),
            // stdin closed or timed out: nothing typed, the schedule goes on.
            Ok(Msg::Closed) | Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                continue;
            }
        };
        match input {
            Input::Enter => {
                let now = clock.now();
                // Deliver anything due first, so the hold ends where it was.
                for ev in player.poll(now) {
                    if let Some(line) = form.event(player.schedule(), &ev) {
                        writeln!(out, "{line}")?;
                    }
                }
                player.end_open(now);
                // The next phase begins now: its sound with it.
                crate::audio::hand_out(chime, player, now);
                pacer.follow(chime, player, now);
            }
            Input::ToggleMute | Input::VolumeUp | Input::VolumeDown => {
                if let Some(text) = sound_control(chime, input) {
                    writeln!(out, "{}", form.note(player.elapsed(clock.now()), &text))?;
                }
            }
            Input::NextBed => {
                bed = bed.next();
                chime.set_bed(bed);
                let text = format!("bed: {}", bed.name());
                writeln!(out, "{}", form.note(player.elapsed(clock.now()), &text))?;
            }
            Input::Quit(_) | Input::Stop => {
                let now = clock.now();
                player.stop(now);
                // Ctrl-C is the person stopping; other signals interrupt.
                *ending = match input {
                    Input::Quit(s) => {
                        *signal = Some(s);
                        s.ending()
                    }
                    _ => Ending::Stopped,
                };
                // The session has stopped whether or not this line gets out.
                let _ = writeln!(out, "{}", form.note(player.elapsed(now), "stopped"));
                return Ok(());
            }
        }
    }
}

fn ev_index(ev: &Event) -> usize {
    match ev.kind {
        EventKind::SegmentStart(i) => i,
        _ => usize::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::Recorder;
    use crate::clock::ManualClock;
    use crate::format::{BuiltinSoundNames, check_str};
    use std::time::Instant;

    #[test]
    fn prints_one_line_per_event_and_plays_its_sound() {
        let src = "name = \"Box\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4, cue = \"Breathe in\" }, { hold = 4, cue = \"Hold gently\" }]\ncycles = 1\n";
        let session = check_str(src, &BuiltinSoundNames).session.expect("valid");
        let tl = Timeline::compile(&session, Duration::ZERO);
        let clock = ManualClock::new(Instant::now());
        let chime = Recorder::default();
        let (_tx, rx) = crossbeam_channel::unbounded();
        let mut out = Vec::new();
        let outcome = run(tl, lines::Form::timed("Box"), &clock, &chime, &rx, &mut out).outcome;
        let text = String::from_utf8(out).expect("utf8");
        assert_eq!(
            text,
            "00:00.000  start  Box\n00:00.000  inhale  4s  Breathe in  cycle 1/1\n00:04.000  hold  4s  Hold gently\n00:08.000  end\npractised 8s · 1 cycle · completed\n"
        );
        assert_eq!(
            *chime.played.lock().expect("lock"),
            vec!["bowl", "rise", "wood", "gong"]
        );
        assert_eq!(outcome.ending, Ending::Completed);
    }

    /// Records each sound handed ahead with its moment and when it came.
    struct Ahead<'a> {
        clock: &'a ManualClock,
        handed: std::sync::Mutex<Vec<(String, Duration, Duration)>>,
        made: Instant,
    }

    impl Chime for Ahead<'_> {
        fn play(&self, name: &str) {
            panic!("{name} played at once, not handed ahead");
        }
        fn lead(&self) -> Duration {
            Duration::from_millis(250)
        }
        fn play_at(&self, names: &[&str], at: Instant) {
            let since = |i: Instant| i.duration_since(self.made);
            if let Ok(mut h) = self.handed.lock() {
                h.push((names[0].to_owned(), since(at), since(self.clock.now())));
            }
        }
        fn set_muted(&self, _muted: bool) {}
        fn is_muted(&self) -> bool {
            false
        }
        fn set_volume(&self, _volume: f32) {}
        fn volume(&self) -> f32 {
            1.0
        }
    }

    #[test]
    fn each_sound_is_handed_out_its_lead_ahead_with_its_moment_and_the_lines_do_not_change() {
        let src = "name = \"Box\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { hold = 4 }]\ncycles = 1\n";
        let session = check_str(src, &BuiltinSoundNames).session.expect("valid");
        let tl = Timeline::compile(&session, Duration::ZERO);
        let made = Instant::now();
        let clock = ManualClock::new(made);
        let chime = Ahead {
            clock: &clock,
            handed: std::sync::Mutex::new(Vec::new()),
            made,
        };
        let (_tx, rx) = crossbeam_channel::unbounded();
        let mut out = Vec::new();
        run(tl, lines::Form::timed("Box"), &clock, &chime, &rx, &mut out);
        let text = String::from_utf8(out).expect("utf8");
        assert_eq!(
            text,
            "00:00.000  start  Box\n00:00.000  inhale  4s  cycle 1/1\n00:04.000  hold  4s\n00:08.000  end\npractised 8s · 1 cycle · completed\n"
        );
        let ms = Duration::from_millis;
        let handed = chime.handed.lock().expect("lock").clone();
        // The session begins a lead after it was made, so even its first
        // sounds are handed out ahead; each is due on its own moment.
        let names: Vec<(&str, Duration)> =
            handed.iter().map(|(n, at, _)| (n.as_str(), *at)).collect();
        assert_eq!(
            names,
            [
                ("bowl", ms(250)),
                ("rise", ms(250)),
                ("wood", ms(4250)),
                ("gong", ms(8250))
            ]
        );
        for (name, at, when) in &handed {
            assert!(
                *at >= *when + ms(249),
                "{name} due at {at:?} was handed out at {when:?}"
            );
        }
    }

    #[test]
    fn a_speaking_session_says_its_summary_after_the_end_and_a_stopped_one_says_nothing() {
        let run_with = |speak: &str, typed: Option<&str>| {
            let src = format!(
                "name = \"Box\"\nsounds = {{ speak = {speak} }}\n[[block]]\nkind = \"breathe\"\nphases = [{{ in = 4 }}, {{ out = 4 }}]\ncycles = 2\n"
            );
            let session = check_str(&src, &BuiltinSoundNames).session.expect("valid");
            let tl = Timeline::compile(&session, Duration::ZERO);
            let made = Instant::now();
            let clock = ManualClock::new(made);
            let chime = Recorder::default();
            let (tx, rx) = crossbeam_channel::unbounded();
            if let Some(t) = typed {
                tx.send(Msg::Line(t.into())).expect("send");
            }
            run(
                tl,
                lines::Form::timed("Box"),
                &clock,
                &chime,
                &rx,
                &mut Vec::new(),
            );
            let said = chime.said.lock().expect("lock").clone();
            said.into_iter()
                .map(|(text, at)| (text, at.duration_since(made).as_millis()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            run_with("true", None),
            [(
                "Session complete. You practised for 16 seconds: 2 cycles.".to_owned(),
                17_500
            )],
            "said 1.5 s after the end at 16 s"
        );
        assert!(run_with("false", None).is_empty());
        assert!(run_with("true", Some("q")).is_empty(), "stopped: quiet");
    }

    #[test]
    fn the_bed_starts_with_the_session_and_stops_at_its_end() {
        let src = "name = \"Rain\"\nbed = \"rain\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { out = 4 }]\ncycles = 1\n";
        let session = check_str(src, &BuiltinSoundNames).session.expect("valid");
        let tl = Timeline::compile(&session, Duration::ZERO);
        assert_eq!(tl.bed, Bed::Rain);
        let clock = ManualClock::new(Instant::now());
        let chime = Recorder::default();
        let (tx, rx) = crossbeam_channel::unbounded();
        let mut out = Vec::new();
        run(
            tl.clone(),
            lines::Form::timed("Rain"),
            &clock,
            &chime,
            &rx,
            &mut out,
        );
        assert_eq!(
            *chime.beds.lock().expect("lock"),
            vec![Bed::Rain, Bed::None]
        );
        // Stopped early too, and the command line's choice wins.
        let chime = Recorder::default();
        tx.send(Msg::Line("q".into())).expect("send");
        let tl = tl.with_bed(session.bed, Some(Bed::Ocean), Bed::Pink);
        run(
            tl,
            lines::Form::timed("Rain"),
            &clock,
            &chime,
            &rx,
            &mut out,
        );
        assert_eq!(
            *chime.beds.lock().expect("lock"),
            vec![Bed::Ocean, Bed::None]
        );
    }

    #[test]
    fn a_line_b_moves_to_the_next_bed_and_says_so() {
        let src = "name = \"Rain\"\nbed = \"ocean\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { out = 4 }]\ncycles = 1\n";
        let session = check_str(src, &BuiltinSoundNames).session.expect("valid");
        let tl = Timeline::compile(&session, Duration::ZERO);
        let clock = ManualClock::new(Instant::now());
        let chime = Recorder::default();
        let (tx, rx) = crossbeam_channel::unbounded();
        for line in ["b", "B", "q"] {
            tx.send(Msg::Line(line.into())).expect("send");
        }
        let mut out = Vec::new();
        run(
            tl,
            lines::Form::timed("Rain"),
            &clock,
            &chime,
            &rx,
            &mut out,
        );
        assert_eq!(
            *chime.beds.lock().expect("lock"),
            vec![Bed::Ocean, Bed::None, Bed::Brown, Bed::None]
        );
        let text = String::from_utf8(out).expect("utf8");
        assert!(text.contains("  bed: none\n"), "{text}");
        assert!(text.contains("  bed: brown\n"), "{text}");
    }

    #[test]
    fn the_pacing_sound_is_told_each_phase_and_silenced_at_the_end() {
        use crate::engine::model::Pacing;
        let src = "name = \"P\"\npacing = \"tone\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { hold = 2 }, { out = 4 }]\ncycles = 1\n";
        let session = check_str(src, &BuiltinSoundNames).session.expect("valid");
        let tl =
            Timeline::compile(&session, Duration::from_secs(3)).with_pacing(None, Pacing::None);
        let clock = ManualClock::new(Instant::now());
        let chime = Recorder::default();
        let (_tx, rx) = crossbeam_channel::unbounded();
        run(
            tl,
            lines::Form::timed("P"),
            &clock,
            &chime,
            &rx,
            &mut Vec::new(),
        );
        let paced = chime.paced.lock().expect("lock").clone();
        let levels: Vec<Option<(f64, f64)>> = paced
            .iter()
            .map(|c| c.map(|c| (c.glide.from, c.glide.to)))
            .collect();
        // Silent through the settle-in; then in, hold, out; then silence.
        assert_eq!(
            levels,
            vec![Some((0.0, 1.0)), Some((1.0, 1.0)), Some((1.0, 0.0)), None]
        );
        let intos: Vec<Duration> = paced.iter().flatten().map(|c| c.glide.into).collect();
        assert!(
            intos.iter().all(|d| *d < Duration::from_millis(50)),
            "{intos:?}"
        );
    }

    #[test]
    fn over_an_hour_every_phase_anchors_the_pacing_sound_at_its_own_start() {
        use crate::engine::model::Pacing;
        let src = "name = \"H\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4.3 }, { hold = 1.1 }, { out = 5.7 }]\nminutes = 60\n";
        let session = check_str(src, &BuiltinSoundNames).session.expect("valid");
        let tl = Timeline::compile(&session, Duration::ZERO)
            .with_pacing(Some(Pacing::Noise), Pacing::None);
        let phases = tl.segments.len();
        let clock = ManualClock::new(Instant::now());
        let chime = Recorder::default();
        let (_tx, rx) = crossbeam_channel::unbounded();
        run(
            tl,
            lines::Form::timed("H"),
            &clock,
            &chime,
            &rx,
            &mut Vec::new(),
        );
        let paced = chime.paced.lock().expect("lock").clone();
        // One cue a phase, each from that phase's own start (the last one
        // as much as the first), then silence: nothing accumulates.
        assert_eq!(paced.len(), phases + 1);
        let late = paced
            .iter()
            .flatten()
            .map(|c| c.glide.into)
            .max()
            .expect("cues");
        assert!(late < Duration::from_millis(50), "{late:?}");
        assert!(paced.last().expect("last").is_none());
    }

    /// Takes `left` lines, then fails as a closed pipe does.
    struct ClosesAfter {
        left: usize,
        got: Vec<u8>,
    }

    impl Write for ClosesAfter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.left == 0 {
                return Err(io::Error::from(io::ErrorKind::BrokenPipe));
            }
            let lines = buf.split(|b| *b == b'\n').count() - 1;
            self.left -= lines.min(self.left);
            self.got.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_output_stops_the_session_and_keeps_its_outcome() {
        let src = "name = \"Box\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { out = 4 }]\ncycles = 10\n";
        let session = check_str(src, &BuiltinSoundNames).session.expect("valid");
        let tl = Timeline::compile(&session, Duration::ZERO);
        let clock = ManualClock::new(Instant::now());
        let (_tx, rx) = crossbeam_channel::unbounded();
        let mut out = ClosesAfter {
            left: 3,
            got: Vec::new(),
        };
        let outcome = run(
            tl,
            lines::Form::timed("Box"),
            &clock,
            &Recorder::default(),
            &rx,
            &mut out,
        )
        .outcome;
        assert_eq!(outcome.ending, Ending::Interrupted);
        assert_eq!(outcome.planned, Duration::from_secs(80));
        // Start, inhale, exhale were printed; the next line failed at 8 s.
        assert_eq!(outcome.practised.as_secs(), 8, "{:?}", outcome.practised);
        assert_eq!(String::from_utf8_lossy(&out.got).lines().count(), 3);
    }

    #[test]
    fn q_stops_the_session_as_stopped_where_it_was() {
        let src = "name = \"Box\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { out = 4 }]\ncycles = 10\n";
        let session = check_str(src, &BuiltinSoundNames).session.expect("valid");
        let tl = Timeline::compile(&session, Duration::ZERO);
        let clock = ManualClock::new(Instant::now());
        let (tx, rx) = crossbeam_channel::unbounded();
        tx.send(Msg::Line("q".into())).expect("send");
        let mut out = Vec::new();
        let outcome = run(
            tl,
            lines::Form::timed("Box"),
            &clock,
            &Recorder::default(),
            &rx,
            &mut out,
        )
        .outcome;
        assert_eq!(outcome.ending, Ending::Stopped);
        let text = String::from_utf8(out).expect("utf8");
        assert!(text.contains("  stopped\n"), "{text}");
        assert!(text.ends_with("· stopped\n"), "{text}");
    }

    #[test]
    fn a_signal_ends_the_session_ctrl_c_as_stopped_others_as_interrupted() {
        let src = "name = \"Box\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { out = 4 }]\ncycles = 10\n";
        let session = check_str(src, &BuiltinSoundNames).session.expect("valid");
        for (signal, ending) in [
            (Signal::INT, Ending::Stopped),
            (Signal::TERM, Ending::Interrupted),
            (Signal::HUP, Ending::Interrupted),
        ] {
            let tl = Timeline::compile(&session, Duration::ZERO);
            let clock = ManualClock::new(Instant::now());
            let (tx, rx) = crossbeam_channel::unbounded();
            tx.send(Msg::Signal(signal)).expect("send");
            let mut out = Vec::new();
            let ran = run(
                tl,
                lines::Form::timed("Box"),
                &clock,
                &Recorder::default(),
                &rx,
                &mut out,
            );
            assert_eq!(ran.signal, Some(signal));
            assert_eq!(ran.outcome.ending, ending, "{signal:?}");
            let text = String::from_utf8(out).expect("utf8");
            assert!(text.contains("  stopped\n"), "{text}");
        }
    }

    #[test]
    fn a_closed_stdin_does_not_stop_the_session() {
        let src = "name = \"Box\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { out = 4 }]\ncycles = 1\n";
        let session = check_str(src, &BuiltinSoundNames).session.expect("valid");
        let tl = Timeline::compile(&session, Duration::ZERO);
        let clock = ManualClock::new(Instant::now());
        let (tx, rx) = crossbeam_channel::unbounded();
        tx.send(Msg::Closed).expect("send");
        drop(tx);
        let ran = run(
            tl,
            lines::Form::timed("Box"),
            &clock,
            &Recorder::default(),
            &rx,
            &mut Vec::new(),
        );
        assert_eq!(ran.outcome.ending, Ending::Completed);
        assert_eq!(ran.signal, None);
    }

    #[test]
    fn typed_lines_mean_mute_volume_or_enter() {
        assert_eq!(Input::from_line("m\n"), Input::ToggleMute);
        assert_eq!(Input::from_line(" + \n"), Input::VolumeUp);
        assert_eq!(Input::from_line("-\n"), Input::VolumeDown);
        assert_eq!(Input::from_line("q\n"), Input::Stop);
        assert_eq!(Input::from_line("\n"), Input::Enter);
        assert_eq!(Input::from_line("anything\n"), Input::Enter);
    }

    #[test]
    fn with_sound_off_the_controls_say_so() {
        let silent = crate::audio::Silent;
        assert_eq!(
            sound_control(&silent, Input::ToggleMute).as_deref(),
            Some("sound is off")
        );
        assert_eq!(
            sound_control(&silent, Input::VolumeUp).as_deref(),
            Some("sound is off")
        );
        let chime = Recorder::default();
        chime.set_volume(0.5);
        assert_eq!(
            sound_control(&chime, Input::ToggleMute).as_deref(),
            Some("muted")
        );
        assert_eq!(
            sound_control(&chime, Input::ToggleMute).as_deref(),
            Some("unmuted")
        );
        // Muted at 0%, then louder: the volume still answers.
        chime.set_volume(0.0);
        sound_control(&chime, Input::ToggleMute);
        assert_eq!(
            sound_control(&chime, Input::VolumeUp).as_deref(),
            Some("volume 10%")
        );
    }

    #[test]
    fn volume_moves_in_tens_and_stays_in_range() {
        let chime = Recorder::default();
        chime.set_volume(0.8);
        assert_eq!(
            sound_control(&chime, Input::VolumeDown).as_deref(),
            Some("volume 70%")
        );
        assert_eq!(
            sound_control(&chime, Input::VolumeUp).as_deref(),
            Some("volume 80%")
        );
        for _ in 0..5 {
            sound_control(&chime, Input::VolumeUp);
        }
        assert_eq!(
            sound_control(&chime, Input::VolumeUp).as_deref(),
            Some("volume 100%")
        );
        for _ in 0..12 {
            sound_control(&chime, Input::VolumeDown);
        }
        assert_eq!(
            sound_control(&chime, Input::VolumeDown).as_deref(),
            Some("volume 0%")
        );
    }

    /// Presses `m` the moment the inhale sound plays.
    struct MuteOnRise(Recorder, crossbeam_channel::Sender<Msg>);
    impl Chime for MuteOnRise {
        fn play(&self, name: &str) {
            self.0.play(name);
            if name == "rise" {
                self.1.send(Msg::Line("m".into())).expect("send");
            }
        }
        fn set_muted(&self, m: bool) {
            self.0.set_muted(m);
        }
        fn is_muted(&self) -> bool {
            self.0.is_muted()
        }
        fn set_volume(&self, v: f32) {
            self.0.set_volume(v);
        }
        fn volume(&self) -> f32 {
            self.0.volume()
        }
    }

    #[test]
    fn m_mutes_mid_session_with_a_stamped_line_and_later_cues_are_silent() {
        let src = "name = \"Box\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { out = 4 }]\ncycles = 1\n";
        let session = check_str(src, &BuiltinSoundNames).session.expect("valid");
        let tl = Timeline::compile(&session, Duration::ZERO);
        let clock = ManualClock::new(Instant::now());
        let (tx, rx) = crossbeam_channel::unbounded();
        let chime = MuteOnRise(Recorder::default(), tx);
        let mut out = Vec::new();
        run(tl, lines::Form::timed("Box"), &clock, &chime, &rx, &mut out);
        let text = String::from_utf8(out).expect("utf8");
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[1].contains("inhale"), "{text}");
        assert!(
            lines[2].starts_with("00:00.") && lines[2].ends_with("  muted"),
            "{text}"
        );
        assert!(lines[3].contains("exhale"), "{text}");
        // Start and first inhale played before the mute; nothing after.
        assert_eq!(*chime.0.played.lock().expect("lock"), vec!["bowl", "rise"]);
    }
}
