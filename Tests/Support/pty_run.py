#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal, as a person at a terminal would.

usage: pty_run.py PROMPT ANSWER COMMAND [ARG...]

When the terminal shows PROMPT (empty: never), types ANSWER and Enter. Prints everything the terminal
showed (standard output and standard error together, with the terminal's \r\n) and exits with the
command's status. Bounded: gives up after 10 seconds.
"""
import os
import pty
import select
import sys
import time

prompt, answer, command = sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)

shown = b""
typed = False
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.05)
    if ready:
        try:
            data = os.read(fd, 4096)
        except OSError:  # the command closed the terminal
            break
        if not data:
            break
        shown += data
    if prompt and not typed and prompt in shown:
        time.sleep(0.05)  # let the program turn echo off after printing its prompt
        os.write(fd, answer + b"\n")
        typed = True
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(shown)
sys.exit(os.waitstatus_to_exitcode(status))
