"""Exact peak memory of a command that may exit within milliseconds.

wait4's ru_maxrss is no use when the parent is Python: at exec, Linux
carries the old address space's high-water mark into the new program's
figure, so a program spawned from a 13 MiB Python process reports at least
13 MiB. GNU time forks from a process of about 1 MiB, so its %M is the
program's own peak (never below that 1 MiB floor). When /usr/bin/time is
missing, only the sampled VmHWM is reported.
"""

import os
import shutil
import signal

from . import procfs


def wrap(command, rss_file):
    """(argv, wrapped): `command` run under GNU time if it is there."""
    gnu_time = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    if gnu_time is None:
        return list(command), False
    return [gnu_time, "-f", "%M", "-o", rss_file, "--", *command], True


def read_kib(rss_file):
    """The %M figure (KiB) GNU time wrote, or None."""
    try:
        with open(rss_file) as f:
            lines = f.read().split()
        # "Command terminated by signal 15" may come first.
        return int(lines[-1])
    except (OSError, ValueError, IndexError):
        return None


def terminate(pid, wrapped, sig=signal.SIGTERM):
    """Send `sig` to the measured command: GNU time's child when wrapped
    (GNU time itself would die of SIGTERM without reporting)."""
    targets = procfs.children(pid) if wrapped else [pid]
    for p in targets:
        try:
            os.kill(p, sig)
        except ProcessLookupError:
            pass
    return targets
