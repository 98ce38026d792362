"""Unit tests of the analysis with made-up observations:
python3 -m unittest discover -s scripts/measurelib -t scripts"""

import re
import unittest

from measurelib import analysis

BOX = [(4, "in"), (4, "hold"), (4, "out"), (4, "hold")]


def box_labels():
    labels = ["in", "hold", "out"]
    return [labels.index(name) for _, name in BOX], [float(s) for s, _ in BOX], labels


def samples_for(changes_at, labels_seq, start, end, every=0.015):
    """Screen samples every `every` s: label of the last change before t."""
    out, t = [], start
    while t < end:
        current = None
        for at, label in zip(changes_at, labels_seq):
            if at <= t:
                current = label
        out.append((t, current))
        t += every
    return out


class PhaseMapping(unittest.TestCase):
    def test_the_two_holds_are_told_apart_by_what_came_before(self):
        phase_labels, durations, labels = box_labels()
        # Watching starts mid-way through "out"; the first change seen is
        # out -> hold, i.e. the second hold (phase index 3), then in.
        changes = [
            {"t": 10.0, "gap": 0.01, "from": labels.index("out"), "to": labels.index("hold")},
            {"t": 14.0, "gap": 0.01, "from": labels.index("hold"), "to": labels.index("in")},
            {"t": 18.0, "gap": 0.01, "from": labels.index("in"), "to": labels.index("hold")},
        ]
        r = analysis.phase_errors(changes, phase_labels, durations)
        self.assertEqual([t["phase"] for t in r["transitions"]], [3, 0, 1])
        self.assertEqual(r["max_abs_error_ms"], 0.0)

    def test_a_missed_change_does_not_shift_the_rest(self):
        phase_labels, durations, labels = box_labels()
        h, i, o = (labels.index(x) for x in ("hold", "in", "out"))
        # Seen: in->hold at 4, then (the "out" phase never sampled) the
        # second hold is not a change; next seen is hold->in, 5 ms late.
        changes = [
            {"t": 4.0, "gap": 0.01, "from": i, "to": h},
            {"t": 16.005, "gap": 0.01, "from": h, "to": i},
            {"t": 20.0, "gap": 0.01, "from": i, "to": h},
            {"t": 24.0, "gap": 0.01, "from": h, "to": o},
        ]
        r = analysis.phase_errors(changes, phase_labels, durations)
        self.assertEqual([t["phase"] for t in r["transitions"]], [1, 0, 1, 2])
        self.assertEqual([t["cycle"] for t in r["transitions"]], [0, 1, 1, 1])
        self.assertAlmostEqual(r["transitions"][1]["error_ms"], 5.0, places=6)
        self.assertAlmostEqual(r["transitions"][1]["expected_s"], 12.0)

    def test_steady_lateness_shows_as_drift(self):
        phase_labels, durations, labels = box_labels()
        seq = [labels.index(n) for _, n in BOX] * 4
        # Each phase lasts 4.001 s instead of 4: 1 ms late per phase,
        # 15 ms per minute.
        changes = [
            {"t": k * 4.001, "gap": 0.001, "from": seq[k - 1], "to": seq[k]} for k in range(1, len(seq))
        ]
        r = analysis.phase_errors(changes, phase_labels, durations)
        self.assertEqual(r["count"], len(seq) - 2)
        self.assertAlmostEqual(r["drift_ms_per_min"], 15.0 * 4 / 4.001, delta=0.01)
        self.assertAlmostEqual(r["last_error_ms"], len(seq) - 2, delta=0.001)

    def test_sampled_screens_give_the_changes_within_the_sampling_step(self):
        phase_labels, durations, labels = box_labels()
        seq = [labels.index(n) for _, n in BOX] * 2
        at = [k * 4.0 for k in range(len(seq))]
        changes = analysis.transitions(samples_for(at, seq, 0.5, at[-1] + 1, every=0.015))
        r = analysis.phase_errors(changes, phase_labels, durations)
        self.assertEqual(r["count"], len(seq) - 2)
        self.assertLessEqual(r["max_abs_error_ms"], 15.0)

    def test_a_change_is_placed_between_the_samples_around_it(self):
        samples = [(0.0, 0), (0.02, 0), (0.04, 1), (0.06, None), (0.08, 1)]
        self.assertEqual(analysis.transitions(samples), [{"t": 0.03, "gap": 0.04 - 0.02, "from": 0, "to": 1}])

    def test_the_screen_is_read_up_to_its_last_line(self):
        labels = [re.compile(r"inhale[^\n]*\Z", re.M), re.compile(r"hold[^\n]*\Z", re.M)]
        screen = "00:00.000  inhale  4s\n00:04.000  hold  4s\n\n\n"
        self.assertEqual(analysis.classify(screen, labels), 1)
        self.assertIsNone(analysis.classify("nothing yet\n", labels))
        both = [re.compile("a"), re.compile("b")]
        self.assertIsNone(analysis.classify("ab", both))


class PlainDrift(unittest.TestCase):
    def test_errors_are_measured_from_the_first_line(self):
        lines = [
            (100.000, "00:00.000  start  Box"),
            (100.001, "00:00.000  inhale  4s"),
            (104.003, "00:04.000  hold  4s"),
            (108.010, "00:08.000  end"),
            (108.011, "practised 8s"),
        ]
        r = analysis.plain_drift(lines)
        self.assertEqual([round(e["error_ms"], 3) for e in r["events"]], [0.0, 1.0, 3.0, 10.0])
        self.assertEqual(r["count"], 3)
        self.assertAlmostEqual(r["max_abs_error_ms"], 10.0)
        self.assertAlmostEqual(r["median_abs_error_ms"], 3.0)
        self.assertAlmostEqual(r["p95_abs_error_ms"], 10.0)
        self.assertAlmostEqual(r["last_error_ms"], 10.0)
        self.assertGreater(r["drift_ms_per_min"], 0)

    def test_hour_long_stamps_parse(self):
        self.assertEqual(analysis.parse_stamp("1:02:03.004  hold"), (3723.004, "hold"))
        self.assertIsNone(analysis.parse_stamp("caution: something"))


class Bursts(unittest.TestCase):
    def test_reads_close_together_are_one_burst(self):
        reads = [(1.000, 100), (1.001, 20), (1.0025, 5), (1.200, 30), (1.500, 7), (1.5029, 3)]
        self.assertEqual(analysis.bursts(reads), [(1.000, 125), (1.200, 30), (1.500, 10)])

    def test_burst_stats_count_only_the_window(self):
        reads = [(0.5, 999), (1.0, 100), (1.5, 50), (2.0, 30), (3.5, 1)]
        s = analysis.burst_stats(reads, 1.0, 3.0)
        self.assertEqual(s["bursts"], 3)
        self.assertAlmostEqual(s["bursts_per_second"], 1.5)
        self.assertAlmostEqual(s["bytes_per_burst_mean"], 60.0)
        self.assertEqual(s["bytes_per_burst_median"], 50)

    def test_median_and_percentile(self):
        self.assertEqual(analysis.median([3, 1, 2, 10]), 2.5)
        self.assertIsNone(analysis.median([]))
        values = list(range(1, 101))
        self.assertEqual(analysis.percentile(values, 95), 95)
        self.assertEqual(analysis.percentile([5.0], 95), 5.0)


if __name__ == "__main__":
    unittest.main()
