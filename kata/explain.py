"""What an exception from a student's lesson code means, said in a beginner's words.

The pytest plugin calls :func:`student_error` for a graded test that stopped
on an exception.  It walks the traceback for the frames in lesson modules
(``NN/<topic>.py`` of any tree: the student's ``lessons/``, the reference,
a submission), and when there are some, says which function of which file
raised what, at which line, and what that kind of error usually means::

    run() stopped in lessons/09/save.py: AttributeError: 'PosixPath' object has no attribute 'endswith'
        lessons/10/pipeline.py:56 in run(): kata.lesson(9).save_model(model, path)
        lessons/09/save.py:18 in save_model(): if not path.endswith(FORMATS):
      What it means: ...

:func:`quiet` takes TensorFlow's start-up log lines (oneDNN, absl) and Keras'
progress bars out of a test's captured output.  The oneDNN line is written by
TensorFlow's C++ code through absl before ``TF_CPP_MIN_LOG_LEVEL`` is read,
so no environment variable hides it short of turning oneDNN off
(``TF_ENABLE_ONEDNN_OPTS=0``, slower); the plugin filters it out instead.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kata.i18n import N_, _, translate
from kata.impl import LESSONS

MAX_MESSAGE_LINES = 4
MAX_LINE = 240
MAX_FRAMES = 4


@dataclass(frozen=True)
class Frame:
    lesson: int
    path: Path
    lineno: int
    function: str
    line: str


@dataclass(frozen=True)
class StudentError:
    message: str  # what the student reads, first line first
    path: Path  # the lesson file to fix: where the error was raised
    lesson: int  # that file's lesson


def lesson_of_file(filename: str) -> int | None:
    """The lesson whose module ``filename`` is (``.../09/save.py`` → 9), else None."""
    path = Path(filename)
    folder = path.parent.name
    if folder.isdigit() and int(folder) in LESSONS and path.name == LESSONS[int(folder)].filename:
        return int(folder)
    return None


def _traceback(error: BaseException) -> list[traceback.FrameSummary]:
    """The error's frames; an error raised in the agent (kata.remote) carries the agent's."""
    remote = getattr(error, "remote_traceback", None)
    return remote if remote is not None else traceback.extract_tb(error.__traceback__)


def lesson_frames(error: BaseException) -> list[Frame]:
    """The traceback's frames that run in lesson modules, outermost first."""
    frames = []
    for summary in _traceback(error):
        number = lesson_of_file(summary.filename)
        if number is not None:
            frames.append(
                Frame(number, Path(summary.filename), summary.lineno or 0, summary.name, (summary.line or "").strip())
            )
    return frames


def message_of(error) -> str:
    """``str(error)``, or a stand-in when the student's ``__str__`` itself fails (it recurses, it raises)."""
    try:
        return str(error)
    except Exception:  # noqa: BLE001  (any error of a student's __str__)
        return _("(no message)")


def _short(text) -> str:
    lines = [line.rstrip() for line in message_of(text).strip().splitlines() if line.strip()]
    kept = [line if len(line) <= MAX_LINE else line[: MAX_LINE - 1] + "…" for line in lines[:MAX_MESSAGE_LINES]]
    if len(lines) > MAX_MESSAGE_LINES:
        kept.append("…")
    return "\n    ".join(kept) or _("(no message)")


_PATH = N_(
    "A pathlib.Path is not a str: str methods (.endswith(), +, .split()) don't work on it. "
    "A path may come as a str or as a Path; turn it into one kind first, e.g. Path(path).suffix "
    'or Path(folder) / "model.keras", or str(path).'
)
_NONE = N_(
    "Something was None where a value was expected: usually a function that ends without "
    "`return` (model.compile(), list.sort() and print() return None, for instance)."
)

# (exception class name, pattern in its message or None, meaning); the first match wins,
# looked up along the exception's class hierarchy.
MEANINGS: list[tuple[str, str | None, str]] = [
    ("Exception", r"'(Posix|Windows)?Path' object|for \+: '(Posix|Windows)?Path'|not \"(Posix|Windows)?Path\"", _PATH),
    ("Exception", r"os\.PathLike object, not NoneType", N_(
        "A path was None. Where a path argument may be None (as out_dir=None), handle that "
        "case first, e.g. with a folder from tempfile.TemporaryDirectory()."
    )),
    ("Exception", r"'NoneType' object", _NONE),
    ("Exception", r"Unknown variable", N_(
        "An optimizer object was made once and then used for a second model. Make a new "
        "optimizer inside the function, each time it is called (or pass optimizer=\"adam\")."
    )),
    ("AttributeError", r"has no attribute '(predict_classes|predict_proba|(fit|evaluate|predict)_generator)'", N_(
        "That method was in Keras 2 and is gone from Keras 3 (TensorFlow 2.16 and later): "
        "model.predict_classes(x) is now np.argmax(model.predict(x), axis=-1), predict_proba is "
        "model.predict, and fit_generator, evaluate_generator and predict_generator are fit, "
        "evaluate and predict, which take generators and tf.data too."
    )),
    ("Exception", r"URL fetch failure on (?!\S*fashion-mnist)", N_(
        "Keras tried to download a data set from the internet and couldn't. The kata keeps a copy "
        "of Fashion-MNIST only (keras.datasets.fashion_mnist); keras.datasets.mnist is another "
        "data set, handwritten digits, which would have to be downloaded."
    )),
    ("NameError", None, N_(
        "Python doesn't know that name here: a typo, a missing import at the top of the file, "
        "or a variable that only exists inside another function."
    )),
    ("AttributeError", None, N_(
        "The object has no attribute or method of that name: a typo, or the value is of another "
        "type than you expected (print(type(x)) shows what it is)."
    )),
    ("TypeError", None, N_(
        "A function or an operator got a value of the wrong type, or the wrong number of "
        "arguments: compare the call with the function's signature (the order of the arguments, "
        "keywords such as epochs=...)."
    )),
    ("InvalidArgumentError", None, N_(
        "TensorFlow got a tensor of a shape or dtype it can't use: print(x.shape, x.dtype) for "
        "the arrays that line passes."
    )),
    ("ValueError", None, N_(
        "The value has the right type but not an acceptable content: often an array of the wrong "
        "shape or dtype, or an argument the function doesn't accept. Compare with the docstring's "
        "example."
    )),
    ("IndexError", None, N_("An index past the end of a list, tuple or array: check its len() or .shape.")),
    ("KeyError", None, N_("A dictionary has no such key: print its keys() to see which it has.")),
    ("FileNotFoundError", None, N_(
        "The file or folder does not exist (yet): check the path, and create a folder with "
        "Path(folder).mkdir(parents=True, exist_ok=True) before writing into it."
    )),
    ("ImportError", None, N_("An import failed: check the module's name and that it is installed.")),
    ("ZeroDivisionError", None, N_("A division by zero: check the value of the divisor.")),
    ("RecursionError", None, N_("A function calls itself again and again without end.")),
    ("AssertionError", None, N_("An assert in your own code failed: the condition it checks was false.")),
]


def meaning(error: BaseException) -> str:
    """What ``error`` usually means, in a sentence or two."""
    text = message_of(error)
    names = [cls.__name__ for cls in type(error).__mro__]
    for name, pattern, sentence in MEANINGS:
        if name in names and (pattern is None or re.search(pattern, text)):
            return translate(sentence)
    return _("Python stopped at that line because of this error; its message says what went wrong.")


def student_error(error: BaseException, lesson: int, shown: Callable[[Path], str]) -> StudentError | None:
    """Describe ``error`` raised in a graded test of ``lesson``, or None when no lesson code raised it.

    ``shown`` turns a path into the short form the student sees.  An
    ``AssertionError`` counts only when a lesson module raised it itself (a
    test's own asserts are its verdicts, not errors).
    """
    frames = lesson_frames(error)
    if not frames:
        return None
    deepest = frames[-1]
    raised_here = _traceback(error)[-1].filename == str(deepest.path)
    if isinstance(error, AssertionError) and not raised_here:
        return None
    own = next((frame for frame in frames if frame.lesson == lesson), None)
    where = shown(deepest.path)
    kind = type(error).__name__
    if isinstance(error, NotImplementedError) and deepest.lesson != lesson:
        first = own.function if own else _("the test")
        head = _(
            "{function}() stopped in {path}: {error}. Lesson {folder} is not finished yet; "
            "this lesson runs it. Finish it first: pytest lessons/{folder}"
        ).format(function=first, path=where, error=_short(error), folder=f"{deepest.lesson:02d}")
        return StudentError(head, deepest.path, deepest.lesson)
    caller = frames[-2] if len(frames) > 1 else None
    if raised_here and deepest.line.startswith("raise ") and caller and caller.lesson != deepest.lesson:
        # The lesson refused its arguments on purpose (its contract): the call is what to fix.
        lines = [
            _("{caller}() in {caller_path} gave {function}() of {path} something it refuses: {kind}: {error}").format(
                caller=caller.function, caller_path=shown(caller.path), function=deepest.function, path=where,
                kind=kind, error=_short(error),
            ),
            f"    {shown(caller.path)}:{caller.lineno} in {caller.function}(): {caller.line}",
            "  " + _(
                "What it means: {function}() checks what it gets and raised this on purpose; "
                "its message says what it expects. Change the call above."
            ).format(function=deepest.function),
        ]
        return StudentError("\n".join(lines), caller.path, caller.lesson)
    if own is not None and deepest.lesson != lesson:
        head = _("{function}() stopped in {path}: {kind}: {error}").format(
            function=own.function, path=where, kind=kind, error=_short(error)
        )
    else:
        head = _("{function}() in {path} raised {kind}: {error}").format(
            function=deepest.function, path=where, kind=kind, error=_short(error)
        )
    lines = [head]
    for frame in frames[-MAX_FRAMES:]:
        lines.append(f"    {shown(frame.path)}:{frame.lineno} in {frame.function}(): {frame.line}")
    lines.append("  " + _("What it means: {meaning}").format(meaning=meaning(error)))
    if deepest.lesson != lesson:
        lines.append("  " + _(
            "Fix it in lesson {folder} (this lesson runs your lesson {folder}); pytest lessons/{folder} checks it."
        ).format(folder=f"{deepest.lesson:02d}"))
    return StudentError("\n".join(lines), deepest.path, deepest.lesson)


# --- noise in captured output ---------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_NOISE = re.compile(
    r"^(?:"
    r"WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|[IW]\d{4} [\d:.]+\s+\d+ [\w./+-]+:\d+\] .*"  # absl INFO and WARNING lines (oneDNN, cpu_feature_guard)
    r"|E\d{4} [\d:.]+\s+\d+ [\w./+-]+:\d+\] .*(?:cuda|cuDNN|cuFFT|cuBLAS|TensorRT).*"  # no GPU here
    r"|To enable the following instructions: .*"
    r"|(?:INFO|WARNING):absl:.*|(?:INFO|WARNING) +absl:.*"  # absl's Python logging (Keras' saving notes)
    r"|Epoch \d+/\d+"  # Keras' progress output
    r"|.*━.*"
    r"|\s*\d+/\d+ - \d+m?s - .*step.*"
    r")$"
)


def quiet(text: str) -> str:
    """``text`` without TensorFlow's start-up log lines and Keras' progress bars."""
    kept = []
    for line in text.splitlines():
        if _NOISE.match(_ANSI.sub("", line).strip("\r\b")):
            continue
        if line.strip() or (kept and kept[-1].strip()):  # no run of blank lines where noise was
            kept.append(line)
    return "\n".join(kept).strip("\n") + ("\n" if kept else "")
