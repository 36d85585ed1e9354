#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image.
# The autograder zip is unpacked in /autograder/source (see docs/instructor.md).
# Choose the "Ubuntu 24.04" base image: the kata needs Python 3.11 or newer.
set -euo pipefail

apt-get update
apt-get install -y --no-install-recommends python3 python3-venv python3-pip
# The sandbox every lesson runs in (kata grade --sandbox=auto uses it when the container
# allows user namespaces), and the unprivileged user it falls back on when it doesn't.
apt-get install -y --no-install-recommends bubblewrap
id kata-grader >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin kata-grader
# Debian's offline copy of Fashion-MNIST, where the distribution has it;
# without it Keras downloads the data once, below.
apt-get install -y --no-install-recommends dataset-fashion-mnist || true

python3 -c 'import sys; assert sys.version_info >= (3, 11), "the kata needs Python 3.11+: pick the Ubuntu 24.04 base image"'
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --upgrade pip
/autograder/venv/bin/pip install -e /autograder/source

# Fill Keras' dataset cache now, so that grading never downloads anything.
cd /autograder/source
/autograder/venv/bin/python -c "from kata.data import load_data; load_data()"

# The grading user must not read the autograder's source (the solutions) or the results.
chmod 700 /autograder/source
chmod -R a+rX /autograder/venv
