"""Hostile: kill the process its lesson run was forked from (the sandbox's preloader).

Lesson 01 gets 0 ("the sandbox stopped answering"): the sandbox ends with its
preloader.  Its other lessons are graded in a new sandbox and keep their points.
In a covered lesson the student's code runs in an agent forked by the lesson
run, so the preloader is its grandparent: it kills that one first.
"""

import os
import signal


def _parent_of(pid):
    with open(f"/proc/{pid}/status") as stream:
        return int(next(line for line in stream if line.startswith("PPid:")).split()[1])


for _pid in [_parent_of(os.getppid()), os.getppid()]:
    if _pid > 1:
        os.kill(_pid, signal.SIGKILL)
