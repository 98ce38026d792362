"""--plain-drift: run a command whose stdout is plain-mode lines, stamp each
line the moment it arrives, and measure CPU and memory on the side."""

import os
import signal
import subprocess
import tempfile
import threading
import time

from . import peakrss, procfs


def run(command, duration=None, sample_every=0.1):
    """Run `command` until it exits (or `duration` seconds, then SIGTERM).

    Returns arrivals [(monotonic seconds, line)], the spawn time, the exit
    time and status, and CPU / memory figures.
    """
    with tempfile.TemporaryDirectory(prefix="exhale-measure-") as tmp:
        rss_file = os.path.join(tmp, "rss")
        argv, wrapped = peakrss.wrap(command, rss_file)
        result = _run(argv, wrapped, duration, sample_every)
        result["max_rss_kib"] = peakrss.read_kib(rss_file)
        return result


def _run(argv, wrapped, duration, sample_every):
    t_spawn = time.monotonic()
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    arrivals = []
    stderr_tail = []

    def read_stdout():
        for raw in proc.stdout:
            arrivals.append((time.monotonic(), raw.decode("utf-8", "replace").rstrip("\r\n")))

    def read_stderr():
        for raw in proc.stderr:
            stderr_tail.append(raw.decode("utf-8", "replace").rstrip("\r\n"))
            del stderr_tail[:-20]

    readers = [threading.Thread(target=read_stdout, daemon=True), threading.Thread(target=read_stderr, daemon=True)]
    for r in readers:
        r.start()

    sampler = procfs.TreeSampler(proc.pid)
    stopped = False
    status = rusage = None
    while True:
        pid, st, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            status, rusage = st, ru
            break
        sampler.sample()
        elapsed = time.monotonic() - t_spawn
        if duration is not None and not stopped and elapsed >= duration:
            stopped = bool(peakrss.terminate(proc.pid, wrapped))
        elif stopped and elapsed >= duration + 5:
            # It ignored SIGTERM for 5 s.
            for pid in procfs.tree(proc.pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        time.sleep(sample_every)
    t_exit = time.monotonic()
    proc.returncode = os.waitstatus_to_exitcode(status)
    for r in readers:
        r.join(timeout=2)
    wall = t_exit - t_spawn
    cpu = rusage.ru_utime + rusage.ru_stime
    return {
        "arrivals": arrivals,
        "t_spawn": t_spawn,
        "wall_s": wall,
        "exit_code": proc.returncode,
        "stopped_by_measure": stopped,
        "stderr_tail": stderr_tail,
        "cpu_s": cpu,
        "cpu_percent": 100 * cpu / wall if wall > 0 else None,
        "peak_vmhwm_kib": sampler.peak_kib,
        "proc_samples": sampler.samples,
    }
