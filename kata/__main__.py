"""``python -m kata``: the ``kata`` command, for a Python whose scripts folder is not on PATH.

Example::

    python -m kata hint 3
"""

import sys

from kata.cli import main

sys.exit(main())
