"""CPU time and peak memory of a process tree, read from /proc.

CPU is the run time of each thread from /proc/<pid>/task/<tid>/schedstat
(nanoseconds; utime + stime from /proc/<pid>/stat count in 10 ms ticks,
too coarse for a program that is idle most of the time, and are the
fallback) plus cutime + cstime (children already reaped), summed over the
tree; peak memory is the
largest VmHWM ("high water mark" of resident memory) in /proc/<pid>/status.
A process gone between two reads simply drops out: callers that need exact
totals for a process that exited use wait4's rusage instead.
"""

import os

CLK_TCK = os.sysconf("SC_CLK_TCK")


def children(pid):
    """Direct children of `pid` (all its threads' children)."""
    kids = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return kids
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids.extend(int(k) for k in f.read().split())
        except OSError:
            continue
    return kids


def tree(root):
    """`root` and all its descendants that are alive now."""
    seen, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.append(pid)
        todo.extend(children(pid))
    return seen


def _run_time_ns(pid):
    """Sum of the threads' run time from schedstat, or None."""
    total, found = 0, False
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
                found = True
        except (OSError, ValueError, IndexError):
            continue
    return total if found else None


def cpu_seconds(pid):
    """CPU seconds of one process and its reaped children, or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after
    # the last ')'. Then state is index 0 and utime (field 14) is index 11.
    fields = stat[stat.rfind(")") + 2 :].split()
    try:
        own, children_ticks = int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])
    except (IndexError, ValueError):
        return None
    ns = _run_time_ns(pid)
    own_s = own / CLK_TCK if ns is None else ns / 1e9
    return own_s + children_ticks / CLK_TCK


def context_switches(pid):
    """Voluntary plus involuntary context switches of every thread of one
    process (each is a time the thread stopped running: a wake-up
    afterwards), or None when it is gone."""
    total, found = 0, False
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:")):
                        total += int(line.split()[1])
                        found = True
        except (OSError, ValueError, IndexError):
            continue
    return total if found else None


def vm_hwm_kib(pid):
    """VmHWM of one process in KiB, or None (gone, or a zombie)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


class TreeSampler:
    """Samples a process tree: CPU seconds now, and the peak VmHWM so far."""

    def __init__(self, root):
        self.root = root
        self.peak_kib = None
        self.samples = 0
        self.max_processes = 0
        # Context switches of the tree's live threads at the last sample.
        self.switches = None

    def sample(self):
        """Return the tree's CPU seconds (None if the root is gone)."""
        pids = tree(self.root)
        total, alive, switches = 0.0, False, 0
        for pid in pids:
            cs = context_switches(pid)
            if cs is not None:
                switches += cs
            cpu = cpu_seconds(pid)
            if cpu is None:
                continue
            alive = alive or pid == self.root
            total += cpu
            hwm = vm_hwm_kib(pid)
            if hwm is not None and (self.peak_kib is None or hwm > self.peak_kib):
                self.peak_kib = hwm
        self.samples += 1
        self.max_processes = max(self.max_processes, len(pids))
        if alive:
            self.switches = switches
        return total if alive else None
