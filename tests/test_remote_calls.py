"""Calls back (:mod:`kata.remote.calls`): checker functions the student's code calls, and attacks on them.

A spy set with ``monkeypatch.setattr`` on a lesson module in the agent records, in
the checker, what the student's code passed it, and its call of the original runs
the student's function in the agent.  The attack files under
``tests/hostile/remote/`` talk to the checker on the agent's socket directly; each
is refused with a clear :class:`RemoteError`.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from kata import impl as kata_impl
from kata.impl import ROOT, get_lesson
from kata.remote import RemoteError
from kata.remote.calls import MAX_NESTING
from kata.remote.proxy import RemoteModule, start_agent

HOSTILE = ROOT / "tests" / "hostile" / "remote"

CAPSTONE = '''
import kata


def run(epochs=10, out_dir=None):
    """Normalizes a few pixels with lesson 02, and says what a wrong call of it raised."""
    pixels = kata.lesson(2).normalize(PIXELS)
    try:
        kata.lesson(2).normalize("not an array")
    except Exception as error:  # the student's own error, back through the checker's spy
        return pixels, type(error).__name__, getattr(error, "marker", None)
    return pixels, None, None


def recurse(callback, n):
    return callback(n + 1)


import numpy as np

PIXELS = np.array([0, 51, 255], dtype=np.uint8)
'''

NORMALIZE = '''
def normalize(images, scale=255.0):
    if isinstance(images, str):
        error = TypeError("normalize() takes an array")
        error.marker = "mine"
        raise error
    return images / scale
'''


@pytest.fixture
def agent(tmp_path):
    """An agent for lesson 10 of a small tree; yields a function that starts it with a given capstone."""
    connections = []

    def start(capstone: str):
        tree = tmp_path / "tree"
        for number, text in ((10, capstone), (2, NORMALIZE)):
            folder = tree / get_lesson(number).folder
            folder.mkdir(parents=True, exist_ok=True)
            (folder / get_lesson(number).filename).write_text(text, encoding="utf-8")
        connection = start_agent(tree, 10, tmp_path / "exchange")
        connections.append(connection)
        assert connection.import_error is None, connection.import_error
        connection.reset(1)
        return RemoteModule(connection)

    yield start
    for connection in connections:
        connection.close()


def hostile(name: str) -> str:
    return (HOSTILE / name).read_text(encoding="utf-8")


def test_a_spy_records_in_the_checker_and_the_students_function_runs_in_the_agent(agent, monkeypatch):
    impl = agent(CAPSTONE)
    lesson_02 = kata_impl.beside(impl, 2)
    original = lesson_02.normalize
    calls = []

    def spy(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(lesson_02, "normalize", spy)
        pixels, raised, marker = impl.run()
    assert [type(args[0]).__name__ for args in calls] == ["ndarray", "str"]
    assert calls[0][0].tolist() == [0, 51, 255] and calls[0][0].dtype == np.uint8
    assert pixels.tolist() == [0.0, 0.2, 1.0]
    assert (raised, marker) == ("TypeError", "mine"), "the student's own exception, raised again in the agent"
    calls.clear()
    impl.run()
    assert calls == [], "monkeypatch's undo gives the module its own function back"


def test_a_functions_signature_is_rebuilt_from_data(agent):
    impl = agent(CAPSTONE)
    signature = inspect.signature(kata_impl.beside(impl, 2).normalize)
    assert str(signature) == "(images, scale=255.0)"
    assert signature.bind(np.zeros(2)).arguments.keys() == {"images"}


def test_calls_nested_too_deep_stop_in_the_agent_with_a_recursion_error(agent):
    impl = agent(CAPSTONE)
    depths = []

    def callback(n):
        depths.append(n)
        return impl.recurse(callback, n)

    with pytest.raises(RecursionError, match=f"nest more than {MAX_NESTING} deep"):
        impl.recurse(callback, 0)
    assert max(depths) == MAX_NESTING


def test_a_callin_naming_a_function_the_checker_never_sent_is_refused(agent):
    impl = agent(hostile("callin_forged.py"))
    with pytest.raises(RemoteError, match="424242 that the checker never sent it as a function"):
        impl.run()
    with pytest.raises(RemoteError, match="closed after a protocol error"):
        impl.run()


def test_a_callin_naming_an_array_is_refused(agent):
    impl = agent(hostile("callin_on_data.py"))
    with pytest.raises(RemoteError, match="never sent it as a function"):
        impl.run(np.zeros(3))


def test_callins_nested_without_end_are_refused(agent):
    impl = agent(hostile("callin_too_deep.py"))
    rounds = []

    def callback():
        rounds.append(1)
        return impl.ping()

    with pytest.raises(RemoteError, match=f"nest more than {MAX_NESTING} deep"):
        impl.run(callback)
    assert len(rounds) == MAX_NESTING


def test_a_forged_signature_is_refused(agent):
    impl = agent(hostile("signature_forged.py"))
    with pytest.raises(RemoteError, match="described a parameter as"):
        inspect.signature(impl.run)


def test_the_attack_files_are_listed_in_the_readme():
    readme = (HOSTILE / "README.md").read_text(encoding="utf-8")
    for path in HOSTILE.iterdir():
        assert path.name == "README.md" or f"`{path.name}`" in readme
