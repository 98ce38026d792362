"""The text report (the JSON report is the result dictionary itself)."""

import shlex


def _ms(v, digits=1):
    return "-" if v is None else f"{v:.{digits}f} ms"


def _num(v):
    return "-" if v is None else f"{v:.0f}"


def _mib(kib):
    return "-" if kib is None else f"{kib / 1024:.1f} MiB"


def _machine(r):
    m = r["machine"]
    return (
        f"machine   {m['nproc']} cores, {m['cpu']}, Linux {m['kernel']};"
        f" load {m['loadavg_start']} at start, {r['loadavg_end']} at end"
    )


def _errors(lines, r, unit):
    lines.append(f"{unit:<9} {r['count']} after the anchor")
    if r["count"]:
        lines.append(
            f"error     |e| mean {_ms(r['mean_abs_error_ms'])}, median {_ms(r['median_abs_error_ms'])},"
            f" p95 {_ms(r['p95_abs_error_ms'])}, max {_ms(r['max_abs_error_ms'])}"
        )
        lines.append(f"          first {_ms(r['first_error_ms'])}, last {_ms(r['last_error_ms'])}")
        drift = r["drift_ms_per_min"]
        lines.append(f"drift     {'-' if drift is None else f'{drift:+.2f} ms per minute'} (least-squares slope)")


def plain_text(r, verbose=False):
    """Report of a --plain-drift run."""
    lines = [
        f"command   {shlex.join(r['command'])}",
        _machine(r),
        f"ran       {r['wall_s']:.3f} s, exit {r['exit_code']}" + (" (stopped by measure)" if r["stopped_by_measure"] else ""),
        f"first     line {_ms(r.get('first_line_ms'))} after launch: {r['anchor'] or '(no stamped line)'}",
    ]
    _errors(lines, r, "events")
    lines.append(f"cpu       {r['cpu_s'] * 1000:.1f} ms in all, {r['cpu_percent']:.3f}% of one core")
    lines.append(f"memory    max RSS {_mib(r['max_rss_kib'])} (GNU time %M), peak VmHWM sampled {_mib(r['peak_vmhwm_kib'])}")
    events = r["events"][1:]
    shown = events if verbose else sorted(sorted(events, key=lambda e: -abs(e["error_ms"]))[:5], key=lambda e: e["printed_s"])
    if shown:
        lines.append("every event:" if verbose else "largest errors:")
        for e in shown:
            lines.append(f"  {e['error_ms']:+8.2f} ms  {e['line']}")
    if r["exit_code"] not in (0, None) and r["stderr_tail"]:
        lines.append("stderr:")
        lines.extend(f"  {t}" for t in r["stderr_tail"])
    return "\n".join(lines)


def screen_text(r, verbose=False):
    """Report of a screen-mode run."""
    ff = r["first_frame_ms"]
    lines = [
        f"command   {shlex.join(r['command'])}",
        f"terminal  {r['size']} (tmux), {r['duration_s']:g} s asked, skip {r['skip_s']:g} s",
        _machine(r),
        f"ran       {r['ran_s']:.3f} s, " + ("stopped by measure (SIGTERM)" if r["stopped_by_measure"] else f"exited with {r['exit_code']}"),
        "first     frame "
        + ("never" if ff is None else f"{_ms(ff['upper_ms'])} (not yet at {_ms(ff['lower_ms'])})"),
    ]
    w = r["window"]
    if w:
        lines.append(
            f"cpu       {w['cpu_percent']:.3f}% of one core ({w['cpu_s'] * 1000:.1f} ms over {w['from_s']:.2f}-{w['to_s']:.2f} s)"
        )
        lines.append(f"output    {w['bytes_per_second']:.0f} bytes/s over the window; {r['bytes_total']} bytes in all")
        if w.get("bursts_per_second") is not None:
            lines.append(
                f"bursts    {w['bursts_per_second']:.2f} a second, {_num(w['bytes_per_burst_mean'])} bytes each on average"
                f" (median {_num(w['bytes_per_burst_median'])})"
            )
        if w.get("wakeups_per_second") is not None:
            lines.append(f"wake-ups  {w['wakeups_per_second']:.1f} a second (context switches of every thread)")
    else:
        lines.append(f"cpu       - (no window after the skip); output {r['bytes_total']} bytes in all")
    lines.append(
        f"memory    peak {_mib(r['peak_memory_kib'])}: VmHWM sampled {_mib(r['peak_vmhwm_kib'])}"
        f" ({r['proc_samples']} samples), max RSS {_mib(r['max_rss_kib'])} (GNU time %M)"
    )
    if r["exit_code"] not in (0, None) and r["last_screen"].strip():
        lines.append("last screen:")
        lines.extend(f"  {t}" for t in r["last_screen"].rstrip().split("\n"))
    ph = r.get("phases")
    if ph:
        lines.append(
            f"phases    {ph['samples']} screen samples, every {_ms(ph['mean_sample_gap_ms'])} on average,"
            f" {ph['unmatched_samples']} matched no single phase"
        )
        if ph.get("note"):
            lines.append(f"          {ph['note']}")
        _errors(lines, ph, "changes")
        decl = r["declared_phases"]
        rest = ph["transitions"][1:]
        worst = sorted(sorted(rest, key=lambda t: -abs(t["error_ms"]))[:5], key=lambda t: t["at_s"])
        shown = ph["transitions"] if verbose else ph["transitions"][:1] + worst
        if shown:
            lines.append("every change:" if verbose else "anchor and largest errors:")
            for t in shown:
                lines.append(
                    f"  {t['at_s']:9.3f} s  cycle {t['cycle'] + 1} phase {t['phase'] + 1} ({decl[t['phase']]['regex']}):"
                    f" {t['error_ms']:+8.2f} ms (+-{t['uncertainty_ms']:.1f})"
                )
    return "\n".join(lines)
