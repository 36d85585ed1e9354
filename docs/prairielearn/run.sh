#!/usr/bin/env bash
# PrairieLearn's external grader runs this for every submission (info.json's "entrypoint"):
# the student's files are in /grade/student, the result goes to /grade/results/results.json.
# The arguments are the lessons this question grades, e.g. `/kata/run.sh 3` or `/kata/run.sh 1-3`.
set -uo pipefail

mkdir -p /grade/results && chmod 700 /grade/results
cd /kata
/opt/kata-venv/bin/python -m kata.cli grade --prairielearn --lessons "${1:?name the lessons, e.g. /kata/run.sh 3}" \
    --jobs 1 --timeout "${KATA_TIMEOUT:-240}"

if [ ! -s /grade/results/results.json ]; then
    # Not the student's fault: not gradable, so no attempt is used and no points are lost.
    echo '{"gradable": false, "format_errors": ["The grader stopped before writing a result. Tell your instructor; nothing is wrong with your upload until they say so."]}' \
        > /grade/results/results.json
fi
