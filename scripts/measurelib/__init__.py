"""Helpers of scripts/measure: process figures from /proc, a tmux control
client, the analysis of phase changes and plain-mode lines, and the report.

Standard library only, so the script runs on any machine with Python 3.9+.
"""
