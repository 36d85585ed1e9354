"""``kata status``, ``hint``, ``watch``, ``reset`` and ``solution`` (kata.student), in a temporary copy of the repository.

Each test copies the kata package, the lessons, the solutions and the pytest
settings into ``tmp_path`` and runs the real command there
(``python -m kata.cli ...`` with the copy as the working folder), so the
student's state (``.kata/``) and files are the copy's, never this checkout's.
"""

from __future__ import annotations

import io
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kata.checkout import Checkout
from kata.impl import LESSONS, ROOT
from kata.outcome import LessonResult
from kata.student.hint import parse_hints
from kata.student.reset import backup_path
from kata.student.runner import following
from kata.student.state import load_results, save_results
from kata.student.watch import watch_loop

HERE = Checkout(ROOT)

COPIED = ["kata", "lessons", "solutions", "pyproject.toml", "conftest.py"]

# A stand-in for the capstone: instant, and it leaves a mark when it runs.
FAKE_CAPSTONE = '''
from pathlib import Path

import pytest


@pytest.mark.points(10)
def test_fake_capstone():
    Path("capstone-ran").write_text("yes")
'''


def make_copy(tmp_path: Path, keep: list[int] | None = None) -> Path:
    """Copy the repository's kata, lessons and solutions into tmp_path/repo (only ``keep`` lessons)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", ".kata", "*.pyc")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=ignore)
        else:
            shutil.copy2(source, repo / name)
    if keep is not None:
        for folder in (repo / "lessons").iterdir():
            if folder.is_dir() and folder.name.isdigit() and int(folder.name) not in keep:
                shutil.rmtree(folder)
    return repo


def env_for_copy() -> dict[str, str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1", COLUMNS="150", TERM="dumb", NO_COLOR="1")
    env.pop("KATA_IMPL", None)  # set by the plugin of this very test run
    env.pop("PYTHONPATH", None)
    env["KATA_LANG"] = "en"  # the English messages these tests read, whatever the machine's locale
    return env


def kata(repo: Path, *args: str, stdin: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``python -m kata.cli ARGS`` in the copy; the copy's own kata package is the one imported."""
    return subprocess.run(
        [sys.executable, "-m", "kata.cli", *args],
        cwd=repo,
        env=env_for_copy(),
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def solve(repo: Path, number: int) -> None:
    """Put the reference solution in the student's lesson file."""
    shutil.copyfile(Checkout(repo).solution_file(number), Checkout(repo).lesson_file(number))


def install_fake_capstone(repo: Path) -> None:
    folder = repo / "lessons" / "10"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / "test_pipeline.py").write_text(FAKE_CAPSTONE)


# --- the pristine stubs ---------------------------------------------------------------


@pytest.mark.parametrize("number", [n for n in LESSONS if HERE.lesson_file(n).is_file()])
def test_packaged_stub_equals_the_lesson_stub(number):
    lesson_stub = HERE.lesson_file(number)
    packaged = HERE.stub_file(number)
    assert packaged.is_file() and packaged.read_bytes() == lesson_stub.read_bytes(), (
        f"{packaged.relative_to(ROOT)} (what `kata reset {number}` restores) differs from "
        f"{lesson_stub.relative_to(ROOT)}. After changing a stub, run `kata dev sync`."
    )


# --- kata status ----------------------------------------------------------------------


def test_status_shows_points_per_lesson_the_next_lesson_and_a_progress_bar(tmp_path):
    repo = make_copy(tmp_path)
    solve(repo, 3)
    install_fake_capstone(repo)
    # An earlier capstone result, as if `kata status --capstone` had run last week.
    save_results(
        [LessonResult(number=10, earned=0, possible=10, tests=1, when="2026-01-02T03:04:05+00:00")],
        Checkout(repo),
    )
    done = kata(repo, "status")
    out = done.stdout
    assert done.returncode == 0, done.stdout + done.stderr
    present = Checkout(repo).present_lessons()
    for number in present:
        assert f"│ {number:02d} " in out, f"lesson {number:02d} is missing from the status table:\n{out}"
    row_03 = next(line for line in out.splitlines() if line.startswith("│ 03 "))
    assert "10/10" in row_03 and "passing" in row_03, row_03
    first_unsolved = next(n for n in present if n != 3 and not LESSONS[n].bonus)
    assert f"Next: lesson {first_unsolved:02d}" in out, out
    fast = [n for n in present if n <= 9]
    assert f"10/{10 * (len(fast) + 1)} points" in out, f"the overall line should count lesson 03's 10 points:\n{out}"
    assert "━" in out, f"no progress bar in:\n{out}"
    # The capstone did not train: its last result is shown instead.
    assert not (repo / "capstone-ran").exists(), "the capstone ran although lessons 01–09 are not complete"
    row_10 = next(line for line in out.splitlines() if line.startswith("│ 10 "))
    assert "0/10" in row_10 and "recorded 2026-01-02" in row_10, row_10
    assert "kata status --all" in out
    stored = load_results(Checkout(repo))
    assert stored[3].full and not stored[1 if 1 in present else first_unsolved].full


def test_capstone_runs_only_when_asked_even_once_01_to_09_are_complete(tmp_path):
    repo = make_copy(tmp_path, keep=[3])
    install_fake_capstone(repo)
    mark = repo / "capstone-ran"

    done = kata(repo, "status", "--all")
    assert done.returncode == 0, done.stdout + done.stderr
    assert mark.exists(), "`kata status --all` did not run the capstone"
    mark.unlink()

    solve(repo, 3)  # now every lesson of 01–09 in this copy has full points
    done = kata(repo, "status")
    assert not mark.exists(), f"the capstone ran without --all:\n{done.stdout}"
    row_03 = next(line for line in done.stdout.splitlines() if line.startswith("│ 03 "))
    assert "10/10" in row_03 and "passing" in row_03, row_03

    (repo / "lessons" / "10" / "test_pipeline.py").write_text(FAKE_CAPSTONE + "\n# changed\n")
    done = kata(repo, "status")  # the capstone's files changed: its result is stale, and says so
    assert not mark.exists(), "the capstone trained again without --all"
    row_10 = next(line for line in done.stdout.splitlines() if line.startswith("│ 10 "))
    assert "stale" in row_10, row_10
    row_03 = next(line for line in done.stdout.splitlines() if line.startswith("│ 03 "))
    assert "10/10" in row_03 and "files unchanged since" in row_03, row_03

    done = kata(repo, "status", "--fresh")
    row_03 = next(line for line in done.stdout.splitlines() if line.startswith("│ 03 "))
    assert "10/10" in row_03 and "unchanged" not in row_03, row_03

    done = kata(repo, "status", "--capstone")  # the old spelling of --all
    assert mark.exists(), "`kata status --capstone` did not run the capstone"


def test_pytest_run_is_recorded_and_status_reruns_nothing(tmp_path):
    repo = make_copy(tmp_path, keep=[3, 4])
    install_fake_capstone(repo)
    solve(repo, 3)
    for number in (3, 4):  # the student runs the suites by hand, as the guides say
        ran = subprocess.run(
            [sys.executable, "-m", "pytest", f"lessons/{number:02d}", "-q", "-p", "no:cacheprovider"],
            cwd=repo, env=env_for_copy(), capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert f"lesson {number:02d}" in ran.stdout, ran.stdout + ran.stderr
    stored = load_results(Checkout(repo))
    assert stored[3].full and stored[4].earned == 0, stored

    def must_not_run(numbers, checkout):
        raise AssertionError(f"kata status ran lessons {numbers} although their recorded results are current")

    from rich.console import Console

    from kata.student.status import status

    out = io.StringIO()
    assert status(Checkout(repo), console=Console(file=out, width=150), runner=must_not_run) == 0
    text = out.getvalue()
    row_03 = next(line for line in text.splitlines() if line.startswith("│ 03 "))
    assert "10/10" in row_03 and "files unchanged since" in row_03, row_03
    assert "Next: lesson 04" in text, text
    assert not (repo / "capstone-ran").exists(), "kata status ran the capstone unasked"


def test_a_recorded_result_goes_stale_when_any_file_of_the_lessons_suite_changes(tmp_path):
    from kata.student.state import fingerprint

    repo = make_copy(tmp_path, keep=[9])
    checkout = Checkout(repo)
    files = checkout.suite_files(9)
    assert [path.name for path in files] == ["test_export.py", "test_save.py"], files
    before = fingerprint(9, checkout)
    for path in files:
        kept = path.read_text(encoding="utf-8")
        path.write_text(kept + "\n# changed\n", encoding="utf-8")
        assert fingerprint(9, checkout) != before, f"a change to {path.name} left lesson 09's result current"
        path.write_text(kept, encoding="utf-8")
    assert fingerprint(9, checkout) == before


def test_a_lesson_solved_in_a_notebook_counts_in_status(tmp_path, monkeypatch):
    """kata.check(3) with full points in a notebook: status shows lesson 03 solved, next is 04."""
    import kata

    repo = make_copy(tmp_path, keep=[3, 4])
    monkeypatch.delenv("KATA_NOTEBOOK_RESULTS", raising=False)
    monkeypatch.chdir(repo)  # where the notebook is: kata.check finds this copy
    namespace = {"__name__": "__main__"}
    exec((repo / "solutions" / "03" / "build.py").read_text(), namespace)  # the notebook's cells
    assert kata.check(3, namespace).full
    assert (repo / ".kata" / "notebook-results.json").is_file()

    def stubs_score_nothing(numbers, checkout):  # the lesson files are untouched stubs
        return {n: LessonResult(number=n, earned=0, possible=10, tests=6, not_started=True) for n in numbers}

    from rich.console import Console

    from kata.student.status import status

    out = io.StringIO()
    assert status(Checkout(repo), console=Console(file=out, width=150), runner=stubs_score_nothing) == 0
    text = out.getvalue()
    row_03 = next(line for line in text.splitlines() if line.startswith("│ 03 "))
    assert "10/10" in row_03 and "in a notebook" in row_03, row_03
    row_04 = next(line for line in text.splitlines() if line.startswith("│ 04 "))
    assert "0/10" in row_04, row_04
    assert "Next: lesson 04" in text, text


def test_a_partial_pytest_run_is_not_recorded_as_full_points(tmp_path):
    repo = make_copy(tmp_path, keep=[3])
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "lessons/03", "-q", "-p", "no:cacheprovider", "--collect-only"],
        cwd=repo, env=env_for_copy(), capture_output=True, text=True, timeout=300,
    ).stdout  # fmt: skip
    first = re.search(r"::(test_\w+)", tests).group(1)
    solve(repo, 3)
    subprocess.run(
        [sys.executable, "-m", "pytest", "lessons/03", "-k", first, "-q", "-p", "no:cacheprovider"],
        cwd=repo, env=env_for_copy(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert 3 not in load_results(Checkout(repo)), "a run of one test was recorded as the lesson's result"


# --- kata hint ------------------------------------------------------------------------


def test_parse_hints_reads_each_section():
    text = "# Lesson 05 hints\n\n## Hint 1\n\nfirst\n\n## Hint 2\n\nsecond\nline\n\n## Hint 3\nthird\n"
    assert parse_hints(text) == ["first", "second\nline", "third"]


def test_hint_shows_the_next_hint_each_time_and_remembers(tmp_path):
    repo = make_copy(tmp_path, keep=[3])
    (repo / "lessons" / "03" / "hints.md").write_text(
        "# Lesson 03 hints\n\n## Hint 1\n\nLook at the docstring.\n\n## Hint 2\n\nUse keras.Sequential.\n"
    )
    first = kata(repo, "hint", "3")
    assert first.returncode == 0, first.stderr
    assert "hint 1 of 2" in first.stdout and "Look at the docstring." in first.stdout
    assert "Use keras.Sequential." not in first.stdout

    second = kata(repo, "hint", "3")
    assert "hint 2 of 2" in second.stdout and "Use keras.Sequential." in second.stdout
    assert "Look at the docstring." not in second.stdout

    third = kata(repo, "hint", "3")  # no more hints: the last one again, and how to see all
    assert "Use keras.Sequential." in third.stdout and "--all" in third.stdout

    every = kata(repo, "hint", "03", "--all")
    assert "Look at the docstring." in every.stdout and "Use keras.Sequential." in every.stdout


def test_a_hint_s_code_is_printed_line_for_line_to_paste_even_when_wider_than_the_output(tmp_path):
    repo = make_copy(tmp_path, keep=[3])
    long_line = "def plot_prediction_grid(predictions, true_labels, images, num_rows=5, num_cols=3):"
    (repo / "lessons" / "03" / "hints.md").write_text(
        "# Lesson 03 hints\n\n## Hint 1\n\nLike this:\n\n```python\n"
        f"{long_line}\n    return None\n```\n\nThen run the checks.\n\n## Hint 2\n\ntwo\n"
    )
    done = kata(repo, "hint", "3")  # its output is a pipe: 80 columns for rich
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert long_line in lines and "    return None" in lines, done.stdout
    assert "Like this:" in done.stdout and "Then run the checks." in done.stdout


def test_commands_act_on_the_copy_they_run_in_not_the_installed_one(tmp_path):
    repo = make_copy(tmp_path, keep=[3])
    shutil.rmtree(repo / "kata")  # the kata that runs is this checkout's, installed in the test's venv
    (repo / "lessons" / "03" / "hints.md").write_text("# Lesson 03 hints\n\n## Hint 1\n\nin the copy\n\n## Hint 2\n\ntwo\n")
    before = (ROOT / ".kata" / "hints.json").read_bytes() if (ROOT / ".kata" / "hints.json").exists() else None
    done = kata(repo / "lessons" / "03", "hint", "3")  # from a subfolder, as git finds its repository
    assert done.returncode == 0, done.stdout + done.stderr
    assert "in the copy" in done.stdout, done.stdout
    assert load_results(Checkout(repo)) == {} and (repo / ".kata" / "hints.json").is_file()
    after = (ROOT / ".kata" / "hints.json").read_bytes() if (ROOT / ".kata" / "hints.json").exists() else None
    assert after == before, "kata hint wrote its state into the installed checkout, not the copy"


def test_every_lesson_hints_file_has_two_or_three_hints():
    for number in LESSONS:
        path = HERE.hints_file(number)
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        assert text.startswith(f"# Lesson {number:02d} hints"), f"{path} should start with '# Lesson {number:02d} hints'"
        hints = parse_hints(text)
        assert 2 <= len(hints) <= 3 and all(hints), f"{path} should have 2 or 3 non-empty '## Hint N' sections"


def test_hint_for_a_lesson_without_hints_says_so(tmp_path):
    repo = make_copy(tmp_path, keep=[3])
    (repo / "lessons" / "03" / "hints.md").unlink(missing_ok=True)
    done = kata(repo, "hint", "3")
    assert done.returncode == 1 and "no hints" in done.stdout


# --- kata reset -----------------------------------------------------------------------


def test_reset_asks_keeps_a_named_backup_and_restores_the_stub(tmp_path):
    repo = make_copy(tmp_path, keep=[3])
    mine = Checkout(repo).lesson_file(3)
    stub = Checkout(repo).stub_file(3).read_text()
    my_work = stub + "\n# my work in progress\n"
    mine.write_text(my_work)

    refused = kata(repo, "reset", "3", stdin="n\n")
    assert refused.returncode == 1 and "Nothing changed" in refused.stdout
    no_answer = kata(repo, "reset", "3")  # no terminal, no answer: nothing changes, and it says how to confirm
    assert no_answer.returncode == 1
    assert "no terminal" in no_answer.stdout and "kata reset 3 --yes" in no_answer.stdout, no_answer.stdout
    assert mine.read_text() == my_work, "the student's file changed without confirmation"
    assert not (repo / ".kata" / "backups").exists() or not list((repo / ".kata" / "backups").iterdir())

    done = kata(repo, "reset", "3", stdin="y\n")
    assert done.returncode == 0, done.stdout + done.stderr
    assert mine.read_text() == stub, "the stub was not restored"
    (backup,) = (repo / ".kata" / "backups").iterdir()
    assert backup.name.startswith("03-build-") and backup.suffix == ".py"
    assert backup.read_text() == my_work, "the backup does not hold the student's work"
    assert f".kata/backups/{backup.name}" in done.stdout.replace("\n", ""), "the backup's name was not shown"

    mine.write_text("# second attempt\n")
    kata(repo, "reset", "3", "--yes")
    backups = sorted((repo / ".kata" / "backups").iterdir())
    assert len(backups) == 2 and backup.read_text() == my_work, "an older backup was overwritten"
    assert {b.read_text() for b in backups} == {my_work, "# second attempt\n"}


def test_backup_names_never_collide(tmp_path):
    import datetime as dt

    now = dt.datetime(2026, 11, 26, 6, 0, 0)
    first = backup_path(3, Checkout(tmp_path), now)
    first.parent.mkdir(parents=True)
    first.write_text("one")
    second = backup_path(3, Checkout(tmp_path), now)
    assert first.name == "03-build-20261126-060000.py"
    assert second != first and not second.exists()


def test_reset_of_an_untouched_stub_changes_nothing(tmp_path):
    repo = make_copy(tmp_path, keep=[3])
    done = kata(repo, "reset", "3", "--yes")
    assert done.returncode == 0 and "already the untouched stub" in done.stdout
    assert not (repo / ".kata" / "backups").exists()


# --- kata solution --------------------------------------------------------------------


def test_solution_is_shown_only_with_full_points_or_force(tmp_path):
    repo = make_copy(tmp_path, keep=[3])
    reference_line = "keras.layers.Dense(128"

    refused = kata(repo, "solution", "3")
    assert refused.returncode == 1, refused.stdout
    assert "full points" in refused.stdout and reference_line not in refused.stdout

    forced = kata(repo, "solution", "3", "--force")
    assert forced.returncode == 0 and "--force" in forced.stdout and reference_line in forced.stdout

    solve(repo, 3)
    earned = kata(repo, "solution", "3")
    assert earned.returncode == 0, earned.stdout + earned.stderr
    assert "10/10" in earned.stdout and reference_line in earned.stdout


def test_solution_in_a_student_release_says_there_are_none(tmp_path):
    repo = make_copy(tmp_path, keep=[3])
    shutil.rmtree(repo / "solutions")
    done = kata(repo, "solution", "3", "--force")
    assert done.returncode == 1 and "no solutions/ folder" in done.stdout


# --- kata watch -----------------------------------------------------------------------


def fake_runner(scores: dict[int, list[float]]):
    """A runner giving each lesson the next of its listed scores; records the lessons run."""
    ran = []

    def run(number, root):
        ran.append(number)
        earned = scores[number].pop(0)
        return LessonResult(number=number, earned=earned, possible=10, failures=[] if earned == 10 else ["t: msg"])

    return run, ran


def test_watch_loop_reruns_on_each_save_and_moves_on_at_full_points(tmp_path):
    from rich.console import Console

    repo = make_copy(tmp_path, keep=[3])
    for n in (4, 5):  # two more (empty) lessons to move on to
        (repo / "lessons" / f"{n:02d}").mkdir()
        Checkout(repo).test_file(n).write_text("")
    runner, ran = fake_runner({3: [0, 4, 10], 4: [10], 5: [2, 2]})
    saved = {("modified", str(repo / "lessons" / "03" / "build.py"))}
    saved_05 = {("modified", str(repo / "lessons" / "05" / "fit.py"))}
    out = io.StringIO()
    runs = watch_loop(
        [saved, set(), saved, saved_05], Checkout(repo), start=3, runner=runner,
        console=Console(file=out, width=150), max_runs=10,
    )  # fmt: skip
    text = out.getvalue()
    assert ran == [3, 3, 3, 4, 5, 5], ran
    assert runs == 6
    assert "lesson 03 · build: 4/10 points" in text and "On to lesson 04" in text and "On to lesson 05" in text
    assert "saved: lessons/03/build.py" in text


def test_watch_loop_checks_the_saved_lesson_then_carries_on_with_the_current_one(tmp_path):
    from rich.console import Console

    repo = make_copy(tmp_path, keep=[3, 4])
    runner, ran = fake_runner({4: [0, 10], 3: [6, 6]})
    save_03 = {("modified", str(repo / "lessons" / "03" / "build.py"))}
    save_04 = {("modified", str(repo / "lessons" / "04" / "compile.py"))}
    out = io.StringIO()
    watch_loop([save_03, save_04], Checkout(repo), start=4, runner=runner, console=Console(file=out, width=150))
    text = out.getvalue()
    assert ran[:3] == [4, 3, 4], f"saving lessons/03 should run lesson 03, not the current lesson 04: {ran}"
    assert ran == [4, 3, 4, 3], "once 04 has full points, the unfinished 03 comes next"
    assert "lesson 03 · build: 6/10 points" in text, text
    assert "Still current: lesson 04" in text, text


def test_watch_loop_keeps_watching_when_every_lesson_passes_and_says_so(tmp_path):
    from rich.console import Console

    repo = make_copy(tmp_path, keep=[3])
    save_results([LessonResult(number=3, earned=10, possible=10)], Checkout(repo))
    runner, ran = fake_runner({3: [10, 4]})
    save_03 = {("modified", str(repo / "lessons" / "03" / "build.py"))}
    out = io.StringIO()
    runs = watch_loop([save_03, save_03], Checkout(repo), runner=runner, console=Console(file=out, width=150))
    text = out.getvalue()
    assert runs == 2 and ran == [3, 3], "every save is checked, even once every lesson has full points"
    assert "Every lesson has full points" in text and "Still watching" in text, text
    assert "lesson 03 · build: 4/10 points" in text, text


def test_watch_loop_explains_one_error_once_and_points_back_for_the_tests_it_stopped(tmp_path):
    from rich.console import Console

    repo = make_copy(tmp_path, keep=[3])
    error = "lessons/03/build.py could not be imported (line 26): SyntaxError: '(' was never closed"
    failures = [f"{name}: {error}" for name in ("test_a", "test_b", "test_c")] + ["test_d: another mistake"]

    def runner(number, root):
        return LessonResult(number=number, earned=0, possible=10, failures=failures)

    out = io.StringIO()
    watch_loop([], Checkout(repo), start=3, runner=runner, console=Console(file=out, width=300))
    text = out.getvalue()
    assert text.count("SyntaxError") == 1, f"the import error should be explained once, by test_a:\n{text}"
    assert "✗ test_a: lessons/03/build.py could not be imported" in text, text
    assert text.count("the same as above") == 2, text
    assert "✗ test_b: the same as above" in text and "✗ test_d: another mistake" in text, text


def test_watch_loop_stops_after_max_runs(tmp_path):
    from rich.console import Console

    repo = make_copy(tmp_path, keep=[3])
    runner, ran = fake_runner({3: [0, 0, 0, 0]})
    endless = iter(lambda: {("modified", "x.py")}, None)
    runs = watch_loop(endless, Checkout(repo), start=3, runner=runner, console=Console(file=io.StringIO()), max_runs=3)
    assert runs == 3 and ran == [3, 3, 3]


def read_lines(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def wait_for(lines: queue.Queue, seen: list[str], text: str, timeout: float, on_tick=None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(text in line for line in seen):
            return True
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if on_tick:
                on_tick()
            continue
        if line is None:
            return any(text in line for line in seen)
        seen.append(line)
    return False


@pytest.mark.parametrize("poll", [False, True], ids=["file-events", "poll"])
def test_watch_reruns_the_lesson_when_its_file_is_saved(tmp_path, poll):
    repo = make_copy(tmp_path, keep=[3, 4] if poll else [3])
    args = [sys.executable, "-m", "kata.cli", "watch", "3"] + (["--poll"] if poll else [])
    proc = subprocess.Popen(args, cwd=repo, env=env_for_copy(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=read_lines, args=(proc.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        assert wait_for(lines, seen, "lesson 03 · build: 0/10 points", 180), "".join(seen)
        solution = Checkout(repo).solution_file(3).read_text()
        last_save = [0.0]

        def save():  # the watcher may start a moment after the first run: save again until it notices
            if not any("saved:" in line for line in seen) and time.monotonic() - last_save[0] > 3:
                Checkout(repo).lesson_file(3).write_text(solution)
                last_save[0] = time.monotonic()

        save()
        assert wait_for(lines, seen, "lesson 03 · build: 10/10 points", 180, on_tick=save), "".join(seen)
        assert any("saved: lessons/03/build.py" in line for line in seen), "".join(seen)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
    wait_for(lines, seen, "Bye", 10)
    assert code == 0, f"Ctrl-C should exit cleanly with code 0, got {code}:\n{''.join(seen)}"
    assert any("Stopped watching" in line for line in seen), "".join(seen)
    assert not any("Traceback" in line for line in seen), "".join(seen)


def test_watch_goes_on_with_the_next_unfinished_lesson():
    def result(n, earned):
        return LessonResult(number=n, earned=earned, possible=10)

    results = {1: result(1, 3), 4: result(4, 10), 5: result(5, 10), 6: result(6, 0)}
    numbers = [1, 2, 3, 4, 5, 6, 11]
    assert following(3, results, numbers) == 6, "lessons 04 and 05 already have full points"
    assert following(6, {**results, 6: result(6, 10)}, numbers) == 1, "back to the unfinished lesson 01"
    done = {n: result(n, 10) for n in numbers}
    assert following(6, done, numbers) is None
    assert following(11, {}, numbers) == 1, "the bonus lesson is never chosen, but leads back to the others"
