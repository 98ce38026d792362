"""Screen mode: run a command in a private tmux pane for a fixed time and
measure first frame, CPU, bytes written, peak memory and phase timing."""

import json
import os
import re
import signal
import sys
import tempfile
import time

from . import analysis, peakrss, procfs
from .tmux import Server, launcher_command, unique_socket_name


def wait_for_file(path, timeout):
    """Load a JSON file written atomically by the launcher, or None."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with open(path) as f:
                return json.load(f)
        except (OSError, ValueError):
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.001)


def size_of(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def settled_size(path, quiet=0.05, timeout=2.0):
    """The file's size once it has stopped growing for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    last, since = size_of(path), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.01)
        now = size_of(path)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
    return last


def read_reads(path):
    """The recorder's [(t, nbytes), ...] of each read of the output."""
    reads = []
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2:
                    reads.append((float(parts[0]), int(parts[1])))
    except OSError:
        pass
    return reads


def write_record(path, output, reads, t0, gap=0.003):
    """Write the stream as JSON lines, one burst each: its time after
    launch, its size, and its bytes (escapes shown as \\x1b)."""
    with open(output, "rb") as f:
        data = f.read()
    with open(path, "w") as out:
        at = 0
        for t, n in analysis.bursts(reads, gap):
            chunk = data[at : at + n]
            at += n
            text = chunk.decode("utf-8", "replace")
            out.write(json.dumps({"t": round(t - t0, 6), "bytes": n, "text": text}, ensure_ascii=False) + "\n")


def run(command, width, height, duration, skip=0.0, phases=(), interval=0.015, save_screen=None,
        keys=(), record=None, gnu_time=True):
    """Measure `command` in a width x height pane for `duration` seconds.

    `keys` are (seconds after launch, tmux key name) typed into the pane;
    `record` is a file for the output stream cut into bursts (JSON lines)."""
    labels_src = []
    for _, rx in phases:
        if rx not in labels_src:
            labels_src.append(rx)
    labels = [re.compile(rx, re.MULTILINE) for rx in labels_src]
    phase_labels = [labels_src.index(rx) for _, rx in phases]
    durations = [secs for secs, _ in phases]

    with tempfile.TemporaryDirectory(prefix="exhale-measure-") as tmp:
        fifo = os.path.join(tmp, "go")
        result = os.path.join(tmp, "result.json")
        output = os.path.join(tmp, "output.bin")
        cmdfile = os.path.join(tmp, "command.json")
        rss_file = os.path.join(tmp, "rss")
        os.mkfifo(fifo)
        argv, wrapped = peakrss.wrap(command, rss_file) if gnu_time else (list(command), False)
        with open(cmdfile, "w") as f:
            json.dump(argv, f)
        open(output, "wb").close()
        server = Server(unique_socket_name(), width, height)
        try:
            server.start(launcher_command(sys.executable, fifo, result, cmdfile))
            server.pipe_output(output)
            # Opening the FIFO waits for the launcher to be ready to read.
            with open(fifo, "w") as f:
                f.write("go\n")
            report = _measure(server, result, output, wrapped, duration, skip, labels, phase_labels, durations,
                              interval, save_screen, sorted(keys))
            reads = read_reads(output + ".reads")
            t0 = report.pop("t0")
            w = report["window"]
            if w:
                w.update(analysis.burst_stats(reads, t0 + w["from_s"], t0 + w["to_s"]))
            if record:
                write_record(record, output, reads, t0)
            report["max_rss_kib"] = peakrss.read_kib(rss_file)
            peaks = [v for v in (report["peak_vmhwm_kib"], report["max_rss_kib"]) if v is not None]
            report["peak_memory_kib"] = max(peaks) if peaks else None
            return report
        finally:
            server.kill()


def _measure(server, result, output, wrapped, duration, skip, labels, phase_labels, durations, interval, save_screen,
             keys):
    start = wait_for_file(result + ".start", 10)
    if start is None:
        failed = wait_for_file(result, 0.1)
        raise RuntimeError(f"the command did not start: {failed.get('error') if failed else 'no answer from the pane'}")
    t0, pid = start["t0"], start["pid"]
    sampler = procfs.TreeSampler(pid)
    end_at = t0 + duration

    first_frame = None
    last_blank_capture = t0
    samples = []  # (t, label) for phase timing
    screen = ""
    cpu_skip = None  # (t, cpu seconds, bytes, context switches) at the start of the window
    if skip <= 0:
        cpu_skip = (t0, 0.0, 0, 0)
    cpu_last = None  # (t, cpu seconds) latest good sample
    next_proc = time.monotonic()
    next_capture = time.monotonic()
    finished = None
    while True:
        now = time.monotonic()
        if now >= end_at:
            break
        while keys and now >= t0 + keys[0][0]:
            server.send_keys(keys.pop(0)[1])
        if first_frame is None or (labels and now >= next_capture):
            ts = time.monotonic()
            screen = server.capture()
            te = time.monotonic()
            if first_frame is None:
                if screen.strip():
                    first_frame = {"upper_ms": (te - t0) * 1000, "lower_ms": (last_blank_capture - t0) * 1000}
                else:
                    last_blank_capture = ts
            if labels:
                samples.append(((ts + te) / 2, analysis.classify(screen, labels)))
                next_capture = max(next_capture + interval, te)
        if now >= next_proc:
            cpu = sampler.sample()
            t = time.monotonic()
            if cpu is not None:
                cpu_last = (t, cpu)
                if cpu_skip is None and t >= t0 + skip:
                    cpu_skip = (t, cpu, size_of(output), sampler.switches)
            next_proc += 0.05
            finished = wait_for_file(result, 0)
            if finished is not None:
                break
        wake = min(next_proc, next_capture if labels else next_proc)
        if keys:
            wake = min(wake, t0 + keys[0][0])
        wait = 0.002 if first_frame is None else wake - time.monotonic()
        if wait > 0:
            time.sleep(wait)

    if finished is None:
        # Still running at the end of the window: take the closing figures,
        # then stop it (SIGTERM, as a service manager or `kill` would).
        screen = server.capture()
        cpu = sampler.sample()
        switches_end = sampler.switches
        t_end = time.monotonic()
        bytes_end = size_of(output)
        cpu_end = cpu if cpu is not None else (cpu_last[1] if cpu_last else None)
        _stop(pid, wrapped, result)
        finished = wait_for_file(result, 0.5) or {}
        stopped = True
    else:
        server.stop_pipe()
        bytes_end = settled_size(output)
        screen = server.capture_after_exit()
        t_end = finished["t1"]
        cpu_end = finished["cpu_s"]
        switches_end = sampler.switches
        stopped = False
    server.stop_pipe()  # no-op if already closed
    bytes_total = settled_size(output)
    if save_screen:
        with open(save_screen, "w") as f:
            f.write(screen + "\n")

    window = None
    if cpu_skip is not None and cpu_end is not None and t_end > cpu_skip[0]:
        span = t_end - cpu_skip[0]
        window = {
            "from_s": cpu_skip[0] - t0,
            "to_s": t_end - t0,
            "cpu_s": cpu_end - cpu_skip[1],
            "cpu_percent": 100 * (cpu_end - cpu_skip[1]) / span,
            "bytes": bytes_end - cpu_skip[2],
            "bytes_per_second": (bytes_end - cpu_skip[2]) / span,
        }
        if cpu_skip[3] is not None and switches_end is not None and stopped:
            window["wakeups_per_second"] = (switches_end - cpu_skip[3]) / span
    report = {
        "t0": t0,
        "ran_s": t_end - t0,
        "exited": not stopped,
        "exit_code": finished.get("exit_code"),
        "stopped_by_measure": stopped,
        "first_frame_ms": first_frame,
        "window": window,
        "bytes_total": bytes_total,
        "peak_vmhwm_kib": sampler.peak_kib,
        "cpu_total_s": finished.get("cpu_s"),
        "proc_samples": sampler.samples,
        "last_screen": screen,
    }
    if labels:
        known = [s for s in samples if s[1] is not None]
        gaps = [b[0] - a[0] for a, b in zip(samples, samples[1:])]
        changes = analysis.transitions(samples)
        report["phases"] = {
            "samples": len(samples),
            "unmatched_samples": len(samples) - len(known),
            "mean_sample_gap_ms": 1000 * sum(gaps) / len(gaps) if gaps else None,
            **analysis.phase_errors(changes, phase_labels, durations),
        }
    return report


def _stop(pid, wrapped, result):
    """SIGTERM the command; SIGKILL its tree if it has not gone in 2 s."""
    peakrss.terminate(pid, wrapped)
    if wait_for_file(result, 2) is None:
        for p in procfs.tree(pid):
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
