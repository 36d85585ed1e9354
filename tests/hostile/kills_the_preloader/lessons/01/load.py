"""Hostile: kill the process its lesson run was forked from (the sandbox's preloader).

Lesson 01 gets 0 ("the sandbox stopped answering"): the sandbox ends with its
preloader.  Its other lessons are graded in a new sandbox and keep their points.
"""

import os
import signal

os.kill(os.getppid(), signal.SIGKILL)
