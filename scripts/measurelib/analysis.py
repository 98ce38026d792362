"""Pure analysis: plain-mode line errors, phase changes seen on screen, and
their errors against a declared cyclic schedule. No I/O, so it is unit
tested with made-up observations (test_analysis.py).
"""

import re

STAMP = re.compile(r"^(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})\s+(.*)$")


def slope(points):
    """Least-squares slope of y over x for [(x, y), ...], or None."""
    if len(points) < 2:
        return None
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in points) / sxx


def parse_stamp(line):
    """(seconds, rest) for a `MM:SS.mmm  rest` or `H:MM:SS.mmm  rest` line."""
    m = STAMP.match(line)
    if not m:
        return None
    h, mi, s, ms, rest = m.groups()
    secs = int(h or 0) * 3600 + int(mi) * 60 + int(s) + int(ms) / 1000
    return secs, rest


def error_stats(errors):
    """Summary of [(t_seconds, error_ms), ...] after the anchor.

    drift_ms_per_min is the least-squares slope of error over time.
    """
    if not errors:
        return {
            "count": 0,
            "mean_abs_error_ms": None,
            "median_abs_error_ms": None,
            "p95_abs_error_ms": None,
            "max_abs_error_ms": None,
            "first_error_ms": None,
            "last_error_ms": None,
            "drift_ms_per_min": None,
        }
    k = slope(errors)
    mags = sorted(abs(e) for _, e in errors)
    n = len(mags)
    return {
        "count": n,
        "mean_abs_error_ms": sum(mags) / n,
        "median_abs_error_ms": (mags[(n - 1) // 2] + mags[n // 2]) / 2,
        # Nearest rank: the smallest value with at least 95% at or below it.
        "p95_abs_error_ms": mags[max(0, -(-95 * n // 100) - 1)],
        "max_abs_error_ms": max(abs(e) for _, e in errors),
        "first_error_ms": errors[0][1],
        "last_error_ms": errors[-1][1],
        "drift_ms_per_min": None if k is None else k * 60,
    }


def plain_drift(lines):
    """Errors of plain-mode lines: [(arrival_seconds, text), ...] in order.

    Each stamped line's error is (arrival - first arrival) - (printed time -
    first printed time): the first stamped line is the anchor, so a constant
    start-up delay does not count, while any drift does.
    """
    events = []
    for arrival, text in lines:
        parsed = parse_stamp(text)
        if parsed is not None:
            events.append((arrival, parsed[0], text))
    if not events:
        return {"events": [], "anchor": None, **error_stats([])}
    a0, p0, _ = events[0]
    rows = []
    for arrival, printed, text in events:
        err = ((arrival - a0) - (printed - p0)) * 1000
        rows.append({"printed_s": printed, "arrival_s": arrival - a0, "error_ms": err, "line": text})
    stats = error_stats([(r["printed_s"], r["error_ms"]) for r in rows[1:]])
    return {"events": rows, "anchor": events[0][2], **stats}


def classify(screen, labels):
    """Index of the one label regex that matches `screen`, else None.

    The screen's trailing blank lines and spaces are removed first, so `\\Z`
    means "at the end of the last non-blank line". No match, or more than
    one distinct regex matching, gives None (the sample is ignored).
    """
    text = screen.rstrip()
    hits = [i for i, rx in enumerate(labels) if rx.search(text)]
    return hits[0] if len(hits) == 1 else None


def transitions(samples):
    """Changes of label in [(t, label or None), ...].

    A change is placed halfway between the last sample with the old label
    and the first with the new one; `gap` is that interval (the uncertainty
    is +- gap/2). Samples with no label are skipped.
    """
    out = []
    prev_t, prev_label = None, None
    for t, label in samples:
        if label is None:
            continue
        if prev_label is not None and label != prev_label:
            out.append({"t": (prev_t + t) / 2, "gap": t - prev_t, "from": prev_label, "to": label})
        prev_t, prev_label = t, label
    return out


def _assign(changes, phase_labels, durations, k0):
    """Map changes onto the cyclic schedule with the first change entering
    phase k0; each later change goes to the phase index (after the previous
    one) carrying its label whose expected time is nearest."""
    n = len(phase_labels)
    period = sum(durations)
    t_anchor = changes[0]["t"]
    rows = [{"t": t_anchor, "index": k0, "expected": t_anchor, "error_ms": 0.0}]
    j_prev, expected_prev = k0, t_anchor
    for ch in changes[1:]:
        best = None
        j, expected = j_prev, expected_prev
        # Look ahead one period past the observed time (at least n phases).
        limit = ch["t"] + period + max(durations)
        steps = 0
        while True:
            expected += durations[j % n]
            j += 1
            steps += 1
            if phase_labels[j % n] == ch["to"]:
                cost = abs(ch["t"] - expected)
                if best is None or cost < best[0]:
                    best = (cost, j, expected)
            if expected > limit and steps >= n:
                break
        _, j_prev, expected_prev = best
        rows.append(
            {"t": ch["t"], "index": j_prev, "expected": expected_prev, "error_ms": (ch["t"] - expected_prev) * 1000}
        )
    return rows


def phase_errors(changes, phase_labels, durations):
    """Errors of observed changes against the declared cyclic schedule.

    `phase_labels[i]` is the label (regex index) of phase i, `durations[i]`
    its length in seconds. The same label may stand for several phases (two
    holds): each candidate first phase consistent with the first change is
    tried (preferring those whose previous phase has the change's old
    label), and the one with the smallest total error is kept.
    """
    if not changes:
        return {"transitions": [], **error_stats([])}
    n = len(phase_labels)
    first = changes[0]
    cands = [k for k in range(n) if phase_labels[k] == first["to"]]
    strict = [k for k in cands if phase_labels[(k - 1) % n] == first["from"]]
    cands = strict or cands
    if not cands:
        return {"transitions": [], **error_stats([]), "note": "no declared phase has the first label seen"}
    best = None
    for k0 in cands:
        rows = _assign(changes, phase_labels, durations, k0)
        cost = sum(abs(r["error_ms"]) for r in rows)
        if best is None or cost < best[0]:
            best = (cost, rows)
    rows = best[1]
    t0 = rows[0]["t"]
    out = []
    for r, ch in zip(rows, changes):
        out.append(
            {
                "at_s": r["t"] - t0,
                "phase": r["index"] % n,
                "cycle": r["index"] // n,
                "expected_s": r["expected"] - t0,
                "error_ms": r["error_ms"],
                "uncertainty_ms": ch["gap"] * 500,
            }
        )
    stats = error_stats([(r["at_s"], r["error_ms"]) for r in out[1:]])
    return {"transitions": out, **stats}


def bursts(reads, gap=0.003):
    """Group [(t_seconds, nbytes), ...] (each a read of the terminal's
    output, in order) into bursts: reads less than `gap` seconds after the
    previous one belong to its burst. Returns [(t_first, nbytes), ...]."""
    out = []
    last = None
    for t, n in reads:
        if out and last is not None and t - last < gap:
            out[-1] = (out[-1][0], out[-1][1] + n)
        else:
            out.append((t, n))
        last = t
    return out


def burst_stats(reads, t_from, t_to, gap=0.003):
    """Bursts per second and bytes per burst between t_from and t_to."""
    inside = [b for b in bursts(reads, gap) if t_from <= b[0] < t_to]
    span = t_to - t_from
    sizes = sorted(n for _, n in inside)
    return {
        "bursts": len(inside),
        "bursts_per_second": len(inside) / span if span > 0 else None,
        "bytes_per_burst_mean": sum(sizes) / len(sizes) if sizes else None,
        "bytes_per_burst_median": (sizes[(len(sizes) - 1) // 2] + sizes[len(sizes) // 2]) / 2 if sizes else None,
    }


def median(values):
    """The median of a non-empty list of numbers, else None."""
    v = sorted(x for x in values if x is not None)
    if not v:
        return None
    return (v[(len(v) - 1) // 2] + v[len(v) // 2]) / 2


def percentile(values, p):
    """Nearest-rank percentile (p in 0-100) of a list, else None."""
    v = sorted(x for x in values if x is not None)
    if not v:
        return None
    return v[max(0, -(-p * len(v) // 100) - 1)]
