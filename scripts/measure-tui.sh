#!/usr/bin/env bash
# Measure a terminal program's CPU use and the bytes it writes to the
# terminal, running it in a detached tmux pane of fixed size.
#
# Usage: scripts/measure-tui.sh [-s WxH] [-d SECONDS] [-w WARMUP] -- COMMAND [ARG...]
#   e.g. scripts/measure-tui.sh -s 80x24 -d 30 -- target/release/exhale run box
#
# CPU is user+system time of the process from /proc/<pid>/stat, as a share
# of one core; bytes are what tmux's pipe-pane saw the program write. The
# first WARMUP seconds (default 2) are left out. Needs Linux and tmux.
set -euo pipefail
size=80x24 dur=20 warm=2
while getopts s:d:w: o; do
  case $o in
    s) size=$OPTARG ;;
    d) dur=$OPTARG ;;
    w) warm=$OPTARG ;;
    *) echo "usage: $0 [-s WxH] [-d SECONDS] [-w WARMUP] -- COMMAND [ARG...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || { echo "give a command to measure" >&2; exit 2; }

sock="measure-$$"
out=$(mktemp)
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -f "$out"' EXIT

cmd=$(printf '%q ' "$@")
tmux -L "$sock" -f /dev/null new-session -d -x "${size%x*}" -y "${size#*x}" "exec $cmd"
tmux -L "$sock" set -g status off
tmux -L "$sock" pipe-pane -t 0 -o "cat >> '$out'"
pid=$(tmux -L "$sock" display -p -t 0 '#{pane_pid}')

ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
sleep "$warm"
t0=$(ticks) b0=$(stat -c %s "$out")
sleep "$dur"
t1=$(ticks) b1=$(stat -c %s "$out")

awk -v t="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" -v b="$((b1 - b0))" -v d="$dur" -v s="$size" \
  'BEGIN { printf "%s  cpu %.2f%% of one core  written %.0f bytes/s\n", s, 100 * t / hz / d, b / d }'
