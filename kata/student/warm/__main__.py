"""``python -m kata.student.warm``: the warm process of ``kata watch`` (:mod:`kata.student.warm.server`)."""

import sys

from kata.student.warm.server import server_main

sys.exit(server_main())
