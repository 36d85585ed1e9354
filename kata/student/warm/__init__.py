"""A warm process for ``kata watch``: TensorFlow imported once, each check forked from it.

A fresh ``pytest lessons/03`` spends most of its five seconds importing
TensorFlow, Keras and matplotlib and loading the data set.  ``kata watch``
starts one *warm* process (``python -m kata.student.warm``) that does all of
that once and then, for each check, forks a child that runs the lesson's
graded suite with ``pytest.main`` and exits.  As the grader's preloader
(:mod:`kata.grading.preloader`), the warm process forks only while it has a single thread
and has never run a TensorFlow operation, so each child starts TensorFlow's
runtime itself, exactly as a fresh process would; numpy's BLAS is asked for
one thread so that importing it starts none.

The protocol is one JSON line each way on the warm process's stdin and
stdout: ``{"ready": bool, "reason": str}`` once, then for every request
``{"args": [...], "cwd": str, "log": str}`` the answer ``{"code": int, "cpu":
float, "warm_up_cpu": float}`` (the children's CPU seconds, their standby
warm-up included, and those their warm-up had used when the request came) or
``{"error": str}``.  The children of the next check are forked as soon as the
warm process is ready and again as soon as a check ends; while the student
edits, each starts TensorFlow's runtime and rehearses what the suites do for
the first time in a process (a *standby* child, which never forks; see
:mod:`kata.student.rehearsal`), so a save pays only for pytest and the
lesson's own tests.  With ``--parts 2`` (the default on two cores or more)
there are two standby children and a check runs in both at once, each on its
own core, sharing the suite's tests as :mod:`kata.student.parts` says; the
last to finish writes the report, the same report one process would.  Each
standby child, when ready, adds a line with its pid to the file named by
``--standby-ready`` (the watch benchmark waits for them, as a student's edit
would).  :class:`WarmRunner` is the watch's handle on it; when the warm
process can't start or breaks, each check runs in a fresh process instead.

The warm process is :mod:`kata.student.warm.server`, the watch's handle on it
:mod:`kata.student.warm.handle`.
"""

from kata.student.warm.handle import WarmRunner
from kata.student.warm.server import default_parts, warm_env

__all__ = ["WarmRunner", "default_parts", "warm_env"]
