"""Hostile: take lesson 03 from the reference solution through the public ``kata.lesson``.

Honest points: 0 (there is no honest code).  Without a sandbox this scored
10/10: the references ship beside the suites.  In the sandbox the graded
lesson's reference is not there.
"""

import kata

build_model = kata.lesson(3, "solutions").build_model
