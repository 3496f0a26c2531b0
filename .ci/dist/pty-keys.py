#!/usr/bin/env python3
"""Types keys into an interactive shell on its own pseudo-terminal and prints what the terminal showed.

usage: pty-keys.py KEYS EXPECT COMMAND [ARG...]

Starts COMMAND on a new pseudo-terminal (its own session), waits until it has been quiet for a moment
(start-up done), types KEYS (Python escapes: \\t is TAB, \\r is Enter), and reads until EXPECT appears
or 10 seconds pass; then types exit. Prints everything shown; exits 0 when EXPECT appeared, else 1.
"""
import os
import pty
import select
import sys
import time

keys = sys.argv[1].encode().decode("unicode_escape").encode()
expect = sys.argv[2].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[3], sys.argv[3:])

shown = b""


def read_for(seconds, until=None, quiet=None):
    """Reads for up to `seconds`; stops early once `until` is shown, or after `quiet` seconds of silence."""
    global shown
    deadline = time.monotonic() + seconds
    last = time.monotonic()
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                data = os.read(fd, 4096)
            except OSError:
                return
            if not data:
                return
            shown += data
            last = time.monotonic()
            # Answer a terminal's cursor-position query, as a terminal would (some shells ask at start-up).
            if b"\x1b[6n" in data:
                os.write(fd, b"\x1b[1;1R")
        if until is not None and until in shown:
            return
        if quiet is not None and time.monotonic() - last > quiet:
            return


read_for(10, quiet=0.5)
start = len(shown)
for key in keys:  # one key at a time, as typed
    os.write(fd, bytes([key]))
    time.sleep(0.02)
read_for(10, until=expect)
found = expect in shown[start:]
try:
    os.write(fd, b"\x15exit\r")  # Ctrl-U clears the line first
except OSError:
    pass
read_for(3)
try:
    os.kill(pid, 9)
except ProcessLookupError:
    pass
os.waitpid(pid, 0)
sys.stdout.buffer.write(shown)
sys.exit(0 if found else 1)
