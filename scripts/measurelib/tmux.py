"""A private tmux server, a control-mode client to read the screen quickly,
and the small launcher that runs the measured command inside the pane.

capture-pane through a control client costs well under a millisecond, where
a new `tmux capture-pane` process costs several: this is what lets the
first frame be caught within a few milliseconds.
"""

import os
import subprocess

# Runs in the pane. It waits until the measuring side writes to the FIFO
# (so the pipe to the output file is in place before anything is drawn),
# notes the monotonic time, starts the command as its child with the pane
# as its terminal, then waits for it with wait4 and writes the exact CPU
# time (its ru_maxrss is not the command's own: see peakrss.py). It
# ignores hang-up and interrupt signals so that it survives to report when
# the command is stopped.
LAUNCHER = r"""
import json, os, signal, sys, time
fifo, result, cmdfile = sys.argv[1:4]
with open(cmdfile) as f:
    cmd = json.load(f)
with open(fifo) as f:
    f.read()
t0 = time.monotonic()
try:
    pid = os.posix_spawnp(cmd[0], cmd, dict(os.environ), setsigdef=(signal.SIGPIPE, signal.SIGXFSZ))
except OSError as e:
    with open(result + ".tmp", "w") as f:
        json.dump({"t0": t0, "error": str(e)}, f)
    os.rename(result + ".tmp", result)
    sys.exit(127)
for s in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM, signal.SIGQUIT):
    signal.signal(s, signal.SIG_IGN)
with open(result + ".start.tmp", "w") as f:
    json.dump({"t0": t0, "pid": pid}, f)
os.rename(result + ".start.tmp", result + ".start")
_, status, ru = os.wait4(pid, 0)
t1 = time.monotonic()
with open(result + ".tmp", "w") as f:
    json.dump({"t0": t0, "t1": t1, "pid": pid, "exit_code": os.waitstatus_to_exitcode(status),
               "cpu_s": ru.ru_utime + ru.ru_stime}, f)
os.rename(result + ".tmp", result)
"""


# Runs as the pane's output pipe (tmux pipe-pane): appends every byte the
# program writes to FILE, as `cat >> FILE` would, and notes the monotonic
# time and size of each read in FILE.reads ("seconds bytes" per line), so
# the output can be cut into the bursts the program wrote.
RECORDER = r"""
import os, sys, time
out = open(sys.argv[1], "ab", buffering=0)
reads = open(sys.argv[1] + ".reads", "a", buffering=1)
while True:
    b = os.read(0, 65536)
    if not b:
        break
    t = time.monotonic()
    out.write(b)
    reads.write(f"{t:.6f} {len(b)}\n")
"""


class TmuxError(RuntimeError):
    """tmux failed or answered something unexpected."""


class Server:
    """A private tmux server (`-L name -f /dev/null`) with one session."""

    def __init__(self, socket_name, width, height):
        self.base = ["tmux", "-L", socket_name, "-f", "/dev/null"]
        self.width, self.height = width, height
        self.client = None
        self.socket_path = None

    def run(self, *args):
        """Run one tmux command through a new client process."""
        r = subprocess.run(self.base + list(args), capture_output=True, text=True)
        if r.returncode != 0:
            raise TmuxError(f"tmux {' '.join(args[:2])}: {r.stderr.strip() or 'failed'}")
        return r.stdout

    def start(self, pane_command):
        """Start the server and a detached session of the given size running
        `pane_command` (a list, executed without a shell)."""
        self.run(
            "set-option", "-g", "status", "off", ";",
            "set-option", "-g", "remain-on-exit", "on", ";",
            "new-session", "-d", "-s", "measure", "-x", str(self.width), "-y", str(self.height),
            *pane_command,
        )
        size, self.socket_path = self.run(
            "display-message", "-p", "-t", "measure", "#{window_width}x#{window_height} #{socket_path}"
        ).strip().split(" ", 1)
        if size != f"{self.width}x{self.height}":
            self.run("resize-window", "-t", "measure", "-x", str(self.width), "-y", str(self.height))
        self.client = ControlClient(self.base + ["-C", "attach-session", "-t", "measure"])
        self.client.wait_attached()
        # No %output notifications: the pane's bytes are counted by pipe-pane.
        self.client.command("refresh-client -f no-output")

    def pipe_output(self, path, python="python3"):
        """Append everything the program writes to the pane to `path`, and
        the time and size of each read to `path`.reads."""
        recorder = path + ".recorder.py"
        with open(recorder, "w") as f:
            f.write(RECORDER)
        pipe = " ".join(quote(a) for a in (python, recorder, path))
        self.client.command(f"pipe-pane -o -t measure {quote(pipe)}")

    def send_keys(self, *keys):
        """Type keys into the pane (tmux key names: Space, Enter, q)."""
        self.client.command("send-keys -t measure " + " ".join(keys))

    def stop_pipe(self):
        """Close the output pipe (cat then sees end of file and exits). tmux
        has closed it already if the pane's command has exited."""
        try:
            self.client.command("pipe-pane -t measure")
        except TmuxError:
            pass

    def capture(self):
        """The visible screen as text, one line per row."""
        return "\n".join(self.client.command("capture-pane -p -t measure"))

    def capture_after_exit(self):
        """The screen the command left. When a pane's command exits, tmux
        (remain-on-exit) writes "Pane is dead" on a new bottom line, which
        scrolls the top line into history: take that line back and drop
        the message."""
        lines = self.client.command("capture-pane -p -S -1 -t measure")
        dead = [i for i, line in enumerate(lines) if line.startswith("Pane is dead (")]
        if dead:
            del lines[dead[-1]]
        return "\n".join(lines[-self.height :])

    def kill(self):
        """Stop the client and the server."""
        if self.client is not None:
            self.client.close()
            self.client = None
        subprocess.run(self.base + ["kill-server"], capture_output=True)
        # tmux leaves its socket file behind.
        if self.socket_path:
            try:
                os.unlink(self.socket_path)
            except OSError:
                pass


def quote(s):
    """Quote for tmux's command parser and the shell alike."""
    return "'" + s.replace("'", "'\\''") + "'"


class ControlClient:
    """`tmux -C`: commands on stdin, answers between %begin and %end."""

    def __init__(self, argv):
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )

    def wait_attached(self):
        """Wait for the attach to finish: commands sent before it may find
        no current client."""
        while True:
            raw = self.proc.stdout.readline()
            if not raw:
                raise TmuxError("the tmux control client closed before attaching")
            if raw.startswith(b"%session-changed"):
                return

    def command(self, line):
        """Send one command and return the lines of its answer."""
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()
        out, inside = [], False
        while True:
            raw = self.proc.stdout.readline()
            if not raw:
                raise TmuxError("the tmux control client closed")
            text = raw.decode("utf-8", "replace").rstrip("\n")
            if not inside:
                # Only blocks flagged 1 answer our commands; others (the
                # attach itself) and notifications are skipped.
                parts = text.split(" ")
                if parts[0] == "%begin" and len(parts) == 4 and parts[3] == "1":
                    inside, number = True, parts[2]
                continue
            parts = text.split(" ")
            if parts[0] in ("%end", "%error") and len(parts) == 4 and parts[2] == number:
                if parts[0] == "%error":
                    raise TmuxError(f"{line}: {' '.join(out)}")
                return out
            out.append(text)

    def close(self):
        """Detach and wait for the client to leave."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def launcher_command(python, fifo, result, command_file):
    """The pane's command: the launcher, which reads the measured command
    from a JSON file (tmux would take an argument ending in ';' for a
    command separator)."""
    return [python, "-c", LAUNCHER, fifo, result, command_file]


def unique_socket_name():
    """A socket name no other run uses at the same time."""
    return f"exhale-measure-{os.getpid()}-{os.urandom(3).hex()}"
