#!/usr/bin/env python3
"""Drives a program on a pseudo-terminal (24 rows, 80 columns) through a script, as a person would.

usage: pty_session.py SCRIPT COMMAND [ARG...]

SCRIPT is JSON: a list of steps. ["expect", TEXT] waits until the terminal shows TEXT after the point
the last expect matched; ["send", TEXT] types TEXT; ["sleep", SECONDS] waits. After the last step it
waits for the command to exit. Prints everything the terminal showed and exits with the command's
status; 124 (after killing the command) when a step waits more than 10 seconds or the whole run 40.
"""
import fcntl
import json
import os
import pty
import select
import signal
import struct
import sys
import termios
import time

steps, command = json.loads(sys.argv[1]), sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))

shown = b""
seen = 0
give_up = time.monotonic() + 40


def pump(seconds):
    global shown
    ready, _, _ = select.select([fd], [], [], seconds)
    if ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            return False
        if not data:
            return False
        shown += data
    return True


def fail(why):
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    sys.stdout.buffer.write(shown + b"\n[pty_session: " + why.encode() + b"]\n")
    sys.exit(124)


for step in steps:
    kind, value = step
    if kind == "send":
        os.write(fd, value.encode())
    elif kind == "sleep":
        end = time.monotonic() + value
        while time.monotonic() < end:
            pump(0.02)
    elif kind == "expect":
        want = value.encode()
        deadline = min(time.monotonic() + 10, give_up)
        while shown.find(want, seen) < 0:
            if time.monotonic() > deadline:
                fail("timed out waiting for " + repr(value))
            if not pump(0.05):
                fail("the terminal closed while waiting for " + repr(value))
        seen = shown.find(want, seen) + len(want)
while time.monotonic() < give_up:
    if not pump(0.05):
        break
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        while pump(0.01):
            pass
        sys.stdout.buffer.write(shown)
        sys.exit(os.waitstatus_to_exitcode(status))
else:
    fail("the command did not exit")
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(shown)
sys.exit(os.waitstatus_to_exitcode(status))
