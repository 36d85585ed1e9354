"""One lesson's graded suite run by two processes at once, each on its own core.

``kata watch`` forks two children from its warm process (:mod:`kata.student.warm`)
and gives both the same pytest arguments plus ``-p kata.student.parts
--kata-share=FILE --kata-parts=2``.  Both collect the same tests in the same
order; then each takes the next test nobody has taken yet from a counter in
``FILE`` (empty when they start; locked with :func:`fcntl.flock`), until none
is left.  The tests are taken longest first, as long as the last shared run
found them (``FILE.durations``; a test never timed comes first), so that the
two processes end at about the same time.  A test runs exactly as in a whole
run: the kata plugin's autouse fixture sets the seed and clears Keras before
every test, so no verdict depends on which process ran it or after which test.

When a process has run its last test it adds its rows of the kata report to
``FILE``.  The last process to do so takes the others' rows into its own
report, in the order of the collection, and is the one that prints the score,
writes ``--kata-report`` and records the result for ``kata status``: the
report is the one a whole run writes.  The other process prints and records
nothing.  If a process dies before adding its rows, the last one never comes
and no report is written: the watch says pytest stopped, as it does when a
whole run dies.

Example (what the warm process does, by hand)::

    : > .kata/share
    python -m pytest lessons/09 -p kata.student.parts --kata-share=.kata/share --kata-parts=2 &
    python -m pytest lessons/09 -p kata.student.parts --kata-share=.kata/share --kata-parts=2
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import math
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kata.fileio import read_json, write_json

NEW_RUN = {"next": 0, "done": 0, "rows": [], "seconds": {}}
"""The state of a shared run that has not started: what an empty ``FILE`` stands for."""

SECONDS_KEY = pytest.StashKey[dict]()  # nodeid → how long this process took to run it
KEPT_KEY = pytest.StashKey[dict]()  # nodeid → how long it took in the last shared run, as read at the start


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kata", "Fashion-MNIST kata")
    group.addoption(
        "--kata-share",
        metavar="FILE",
        default=None,
        help="run this session's tests together with the other processes given the same FILE "
        "(an empty file, made by whoever starts them); see kata/student/parts.py",
    )
    group.addoption("--kata-parts", type=int, default=2, help="how many processes share --kata-share (default 2)")


def durations_file(share: Path) -> Path:
    """Where the shared runs of ``share`` keep how long each test took: ``FILE.durations``."""
    return share.with_name(share.name + ".durations")


def read_seconds(share: Path) -> dict[str, float]:
    """How long each test took in the last shared run of ``share``, by node id (empty if unknown)."""
    found = read_json(durations_file(share), default={})
    if not isinstance(found, dict):
        return {}
    return {nodeid: float(value) for nodeid, value in found.items() if isinstance(value, (int, float))}


@contextlib.contextmanager
def _locked(share: Path) -> Iterator[dict]:
    """The shared state, read under an exclusive lock and written back when the block ends."""
    with open(share, "r+", encoding="utf-8") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        text = file.read()
        state = json.loads(text) if text else json.loads(json.dumps(NEW_RUN))
        yield state
        file.seek(0)
        file.truncate()
        file.write(json.dumps(state))


def _take(share: Path) -> int:
    """The place in the order of the next test nobody has taken; it is now this process's."""
    with _locked(share) as state:
        place = state["next"]
        state["next"] = place + 1
    return place


def longest_first(items: list[pytest.Item], seconds: dict[str, float]) -> list[pytest.Item]:
    """``items`` in the order the processes take them: never timed first, then the longest.

    Args:
        items: the collected tests, in the order of the collection.
        seconds: how long each test took in the last shared run, by node id.

    Returns:
        The same tests; ties keep the collection's order.
    """
    return sorted(items, key=lambda item: -seconds.get(item.nodeid, math.inf))


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> bool | None:
    """Run the tests this process takes, one at a time, until none is left (as pytest's own loop runs all)."""
    config = session.config
    share = config.getoption("--kata-share")
    if share is None:
        return None  # pytest's own loop
    if session.testsfailed and not config.option.continue_on_collection_errors:
        raise session.Interrupted(f"{session.testsfailed} error(s) during collection")
    if config.option.collectonly:
        return True
    share = Path(share)
    kept = config.stash[KEPT_KEY] = read_seconds(share)
    order = longest_first(session.items, kept)
    # Which test this process runs next is known only when it takes one, after this test: the test
    # is told "a test of the same module comes next", which keeps module fixtures as they should be
    # (the session tears what is left down when it ends).  Tests of several modules are taken one
    # ahead instead, as pytest-xdist does.
    one_module = len({item.parent for item in order}) == 1
    seconds = config.stash.setdefault(SECONDS_KEY, {})
    place = _take(share)
    while place < len(order):
        item = order[place]
        if one_module:
            following = None
            nextitem = next((other for other in order if other is not item), None)
        else:
            following = _take(share)
            nextitem = order[following] if following < len(order) else None
        start = time.perf_counter()
        item.config.hook.pytest_runtest_protocol(item=item, nextitem=nextitem)
        seconds[item.nodeid] = time.perf_counter() - start
        if session.shouldfail:
            raise session.Failed(session.shouldfail)
        if session.shouldstop:
            raise session.Interrupted(session.shouldstop)
        place = _take(share) if following is None else following
    return True


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Add this process's report rows to the share; the last process takes them all (before the score is shown)."""
    config = session.config
    share = config.getoption("--kata-share")
    if share is None:
        return
    # kata.plugin is imported by now (conftest.py); importing it when this module is would spoil its rewriting.
    from kata.outcome import TestResult
    from kata.plugin import REPORT_KEY

    report = config.stash.get(REPORT_KEY, None)
    if report is None:
        return
    share = Path(share)
    with _locked(share) as state:
        state["rows"].extend(dataclasses.asdict(row) for row in report.results)
        state["seconds"].update(config.stash.get(SECONDS_KEY, {}))
        state["done"] += 1
        last = state["done"] >= config.getoption("--kata-parts")
        rows, seconds = list(state["rows"]), dict(state["seconds"])
    if not last:
        report.results = []  # the last process shows, writes and records the whole report
        return
    order = {item.nodeid: i for i, item in enumerate(session.items)}
    report.results = sorted((TestResult(**row) for row in rows), key=lambda row: order.get(row.nodeid, len(order)))
    try:
        write_json(durations_file(share), {**config.stash.get(KEPT_KEY, {}), **seconds})
    except OSError:
        pass  # the next run takes its tests in the collection's order
