"""The kata's pytest plugin: ``--impl``, the ``points`` marker, score lines.

Graded tests never import lesson code.  They ask for fixtures instead:

``impl``
    the module under test: this test file's lesson, loaded by path from the
    tree ``--impl`` names (``lessons``, ``solutions`` or a folder).
``reference``
    ``reference(n)`` is lesson ``n``'s reference solution, so a test of
    lesson 05 builds its model with the reference's lesson 03 and one
    unfinished lesson never fails another.
``fashion_mnist``
    ``(train_images, train_labels), (test_images, test_labels)`` exactly as
    ``keras.datasets.fashion_mnist.load_data()`` returns them, loaded once
    per session from the local copy (see :mod:`kata.data`).

Every graded test carries ``@pytest.mark.points(n)``.  At the end the plugin
prints one score line per lesson (``lesson 03 · build: 4/10 points``) and a
total; ``--kata-report=FILE`` writes the same as JSON.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kata import explain, i18n
from kata import impl as impl_module
from kata import report as report_module
from kata.i18n import _
from kata.remote import session as remote_session
from kata.student.record import record as record_progress

DEFAULT_SEED = 1234
REPORT_KEY = pytest.StashKey[report_module.Report]()
TREE_KEY = pytest.StashKey[Path]()
SEED_KEY = pytest.StashKey[int]()
SEEN_KEY = pytest.StashKey[dict]()  # (lesson, message) → the first test that reported it


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kata", "Fashion-MNIST kata")
    group.addoption(
        "--impl",
        default=None,
        help="whose code the graded suites test: 'lessons' (your files, the default), "
        "'solutions' (the reference) or a folder laid out as NN/<topic>.py",
    )
    group.addoption(
        "--kata-report",
        metavar="FILE",
        default=None,
        help="also write the points per test and per lesson as JSON to FILE",
    )
    group.addoption(
        "--kata-seed",
        type=int,
        default=None,
        help=f"random seed set before every graded test (default {DEFAULT_SEED})",
    )
    remote_session.add_options(group)
    group.addoption(
        "--lang",
        default=None,
        metavar="LANG",
        help="the language of the failure messages and score lines: en or zh_CN "
        "(default: $KATA_LANG, else the locale)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "points(n): a graded test worth n points of its lesson's 10"
    )
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    i18n.use(config.getoption("--lang"))  # the suites' messages and the score lines (kata/locale)
    try:
        tree = impl_module.resolve_tree(config.getoption("--impl"))
    except impl_module.ImplError as error:
        raise pytest.UsageError(str(error)) from None
    seed = config.getoption("--kata-seed")
    seed = DEFAULT_SEED if seed is None else seed
    # kata.lesson(n) called outside a lesson tree, and any subprocess, use this tree.
    os.environ[impl_module.IMPL_ENV] = str(tree)
    config.stash[TREE_KEY] = tree
    config.stash[SEED_KEY] = seed
    config.stash[REPORT_KEY] = report_module.Report(impl=str(tree), seed=seed)


def pytest_report_header(config: pytest.Config) -> str:
    return f"kata: testing {config.stash[TREE_KEY]} (--impl), seed {config.stash[SEED_KEY]}"


# --- which lesson a test belongs to -------------------------------------------------


def lesson_of(item: pytest.Item) -> int | None:
    """The lesson a graded test belongs to: its folder's number (``lessons/03`` → 3)."""
    marker = item.get_closest_marker("lesson")
    if marker is not None:
        return int(marker.args[0])
    folder = Path(str(item.path)).parent.name
    if folder.isdigit() and int(folder) in impl_module.LESSONS:
        return int(folder)
    return None


def points_of(item: pytest.Item) -> float | None:
    marker = item.get_closest_marker("points")
    if marker is None:
        return None
    return float(marker.args[0] if marker.args else marker.kwargs["n"])


class LessonImportError(Exception):
    """The module under test can't be imported (a syntax error, a bad import, ...)."""


# --- fixtures ---------------------------------------------------------------------


@pytest.fixture
def impl(request: pytest.FixtureRequest):
    """The module under test: this test's lesson, from the tree ``--impl`` names."""
    number = lesson_of(request.node)
    if number is None:
        raise pytest.UsageError(f"{request.node.nodeid} is not in a lesson folder (NN/).")
    tree = request.config.stash[TREE_KEY]
    if remote_session.wanted(request.config):

        def import_failure(failed: dict) -> Exception:
            if failed.get("plain"):
                return LessonImportError(failed["message"])
            return LessonImportError(_import_message(tree, number, failed["type"], failed["message"],
                                                     failed.get("lineno")))

        return remote_session.remote_module(request, tree, number, request.config.stash[SEED_KEY],
                                            import_failure)
    try:
        return impl_module.load_module(tree, number)
    except impl_module.ImplError as error:
        raise LessonImportError(str(error)) from None
    except Exception as error:
        lineno = error.lineno if isinstance(error, SyntaxError) else None
        raise LessonImportError(_import_message(tree, number, type(error).__name__, str(error), lineno)) from error


def _import_message(tree: Path, number: int, kind: str, text: str, lineno: int | None) -> str:
    path = _shown(impl_module.module_path(tree, number))
    where = f" (line {lineno})" if lineno is not None else ""
    return (
        f"{path} could not be imported{where}: {kind}: {text}. "
        f"Run `python {path}` to see the whole error, fix it, and run the tests again."
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    remote_session.close_all(config)


@pytest.fixture
def reference(request: pytest.FixtureRequest):
    """``reference(n)``: lesson ``n``'s reference solution module, for ``n`` before this lesson.

    A student copy (``kata release``) has no ``solutions/``: there it is
    lesson ``n`` from the tree under test, the student's own earlier lesson;
    with ``--remote`` (``kata grade``) that module in the agent, so that no student
    code runs in the checker.
    """

    own = lesson_of(request.node)

    def get(number: int):
        if own is not None and number >= own:
            raise pytest.UsageError(
                f"{request.node.nodeid} asks for the reference of lesson {number:02d}; a lesson's "
                f"suite may use only the references of earlier lessons (kata grade never shows a "
                f"lesson its own reference, nor a later one)."
            )
        if not impl_module.NAMED_TREES["solutions"].is_dir():
            if remote_session.wanted(request.config):  # the student's own code runs in the agent, never here
                return impl_module.beside(request.getfixturevalue("impl"), number)
            return impl_module.load_module(request.config.stash[TREE_KEY], number)
        return impl_module.load_module("solutions", number)

    return get


@pytest.fixture(scope="session")
def fashion_mnist():
    """The whole data set, as ``keras.datasets.fashion_mnist.load_data()`` gives it.

    Loaded once per process and read-only: a test that needs to change an
    array works on a copy.
    """
    from kata import data

    return data.cached_load_data()


@pytest.fixture
def kata_seed(request: pytest.FixtureRequest) -> int:
    """The seed set before this test (``--kata-seed``)."""
    return request.config.stash[SEED_KEY]


_seeded = False


def _seed_data_once() -> None:
    """Seed Keras' dataset cache from a local copy, once, before the first lesson test."""
    global _seeded
    if not _seeded:
        from kata import data

        data.seed_keras_cache()
        _seeded = True


@pytest.fixture(autouse=True)
def _fresh_keras_state(request: pytest.FixtureRequest):
    """Every lesson test finds the data offline and starts from a clean Keras session and seed."""
    if lesson_of(request.node) is None:
        yield
        return
    _seed_data_once()
    import keras

    # free_memory=False: skip clear_session's gc.collect(), which costs ~0.5 s per test.
    keras.backend.clear_session(free_memory=False)
    keras.utils.set_random_seed(request.config.stash[SEED_KEY])
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


# --- results and score lines ---------------------------------------------------------


def _guide(lesson: impl_module.Lesson) -> str:
    """The lesson's guide in the chosen language: ``docs/zh-CN/lessons/...`` when there is one."""
    if i18n.language() == "zh_CN":
        translated = lesson.guide.replace("docs/", "docs/zh-CN/", 1)
        if (impl_module.ROOT / translated).is_file():
            return translated
    return lesson.guide


def _message(excinfo: pytest.ExceptionInfo, number: int) -> tuple[str, str, str]:
    """(outcome, message, file to fix) for a failed graded test, in a beginner's words."""
    student = explain.student_error(excinfo.value, number, _shown)
    if excinfo.errisinstance(NotImplementedError) and (student is None or student.lesson == number):
        guide = _guide(impl_module.get_lesson(number))
        return "not started", _("not started yet — see {guide}").format(guide=guide), ""
    if excinfo.errisinstance(LessonImportError):
        return "error", str(excinfo.value), ""
    if student is not None:
        state = "failed" if excinfo.errisinstance(NotImplementedError) else "error"
        return state, student.message, _shown(student.path)
    if excinfo.errisinstance(AssertionError):
        text = str(excinfo.value)
        # Keep the test's own sentence, drop pytest's re-rendering of the expression.
        text = text.split("\nassert ")[0].strip() or text.strip()
        return "failed", text, ""
    return "error", f"{excinfo.typename}: {excinfo.value}", ""


def _short_traceback(excinfo: pytest.ExceptionInfo):
    """The traceback without pytest's and pluggy's own frames, in pytest's short style."""

    def ours(info: pytest.ExceptionInfo):
        return info.traceback.filter(
            lambda entry: not any(part in str(entry.path) for part in ("/_pytest/", "/pluggy/"))
        )

    return excinfo.getrepr(style="short", chain=False, tbfilter=ours)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    rep = outcome.get_result()
    # TensorFlow's start-up log lines and Keras' progress bars say nothing about a failure.
    rep.sections = [(title, explain.quiet(text)) for title, text in rep.sections]
    rep.sections = [(title, text) for title, text in rep.sections if text.strip()]
    points = points_of(item)
    number = lesson_of(item)
    if points is None or number is None:
        return
    report = item.config.stash[REPORT_KEY]
    if rep.when == "call" or (rep.when == "setup" and not rep.passed):
        name = item.name
        where = ""
        if rep.passed:
            state, message = "passed", ""
        elif rep.skipped:
            state, message = "skipped", _("skipped: a skipped graded test earns no points")
        elif call.excinfo is None:
            state, message = "failed", ""
        else:
            state, message, where = _message(call.excinfo, number)
            path, lineno, _name = item.location
            worth = i18n.ngettext("worth {points:g} point", "worth {points:g} points",
                                  1 if points == 1 else 2).format(points=points)
            test = f"(test: {path}:{(lineno or 0) + 1} · {worth})"
            seen = item.config.stash.setdefault(SEEN_KEY, {})
            if (number, message) in seen and state != "not started":
                # One mistake, one explanation: later tests stopped by the same error point back.
                head = message.splitlines()[0]
                head = head if len(head) <= 100 else head[:99] + "…"
                rep.longrepr = _("{message} (as in {test} above)").format(message=head, test=seen[number, message])
            elif state in ("not started", "failed") or where or call.excinfo.errisinstance(LessonImportError):
                # The message first, so the short summary line shows it too.
                rep.longrepr = f"{message}\n    {test}"
            else:
                rep.longrepr = _short_traceback(call.excinfo)
            seen.setdefault((number, message), name)
        report.add(
            report_module.TestResult(
                lesson=number,
                name=name,
                nodeid=item.nodeid,
                points=points,
                earned=points if state == "passed" else 0.0,
                outcome=state,
                message=message,
                where=where,
            )
        )


def _shown(path: Path) -> str:
    """A path as short as it can be said: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _next_line(config: pytest.Config, report: report_module.Report, number: int) -> str:
    """Where to go next for a lesson short of full points: its file, or the earlier lesson that stopped it."""
    lesson = impl_module.get_lesson(number)
    module = _shown(impl_module.module_path(config.stash[TREE_KEY], number))
    elsewhere = [
        r.where for r in report.results if r.lesson == number and r.where and r.where != module
    ]
    if elsewhere:
        other = impl_module.get_lesson(explain.lesson_of_file(elsewhere[0]) or number)
        return "    " + _(
            "next: edit {path} (lesson {folder} stopped this one) · check it with pytest lessons/{folder} · guide {guide}"
        ).format(path=elsewhere[0], folder=other.folder, guide=_guide(other))
    return "    " + _("next: edit {path} · guide {guide} · hint: kata hint {number}").format(
        path=module, guide=_guide(lesson), number=lesson.number
    )


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    report = config.stash.get(REPORT_KEY, None)
    if report is None or not report.results:
        return
    record_progress(report, config.stash[TREE_KEY])  # for `kata status` (kata.student.record)
    terminalreporter.section("kata score")
    if exitstatus == pytest.ExitCode.INTERRUPTED:
        terminalreporter.write_line(_(
            "Interrupted: not every test ran, so the points below count only the tests that did "
            "(nothing is recorded for kata status). Run the lesson again for its score."
        ), yellow=True, bold=True)
    for score in report.lessons():
        markup = {"green": True} if score.earned == score.possible else {"red": True}
        terminalreporter.write_line(score.line, bold=True, **markup)
        if score.earned < score.possible:
            terminalreporter.write_line(_next_line(config, report, score.number))
    for line in report.summary_lines()[len(report.lessons()):]:
        terminalreporter.write_line(line, bold=True)
    path = config.getoption("--kata-report")
    if path:
        report_module.write(report, path)
        terminalreporter.write_line(_("kata report written to {path}").format(path=path))
