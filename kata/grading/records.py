"""What grading produces, and the cached records that let a re-run skip unchanged work.

A student's record is saved under ``--out/.kata-grade/`` as soon as every
sandbox of theirs is closed.  Anyone who can write ``--out`` can edit it, so each
record is signed with HMAC-SHA256 under a key kept *outside* ``--out``
(:func:`record_key`); a record whose signature doesn't check out is not
trusted and the submission is graded again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from kata.fileio import write_atomic
from kata.grading.late import Late
from kata.impl import get_lesson
from kata.outcome import TestResult

DEFAULT_TIMEOUT = 300.0  # seconds per lesson; the capstone trains on the full data
DEFAULT_MEMORY_GIB = 8.0  # TensorFlow alone maps about 2.5 GiB of address space
DEFAULT_OUTPUT_MIB = 64.0  # output (and any file) a lesson may write
CACHE_FOLDER = ".kata-grade"
CACHE_SCHEMA = "kata-grade/4"  # 3: tests are kata.outcome.TestResult; 4: points verified outside
KEY_ENV = "KATA_GRADE_KEY_FILE"


@dataclasses.dataclass(frozen=True)
class Limits:
    """What one lesson run may use.

    Args:
        timeout: seconds of wall time.
        memory_gib: address space (``RLIMIT_AS``), GiB.
        output_mib: the largest file it may write, and the size of its private ``/tmp``, MiB.
    """

    timeout: float = DEFAULT_TIMEOUT
    memory_gib: float = DEFAULT_MEMORY_GIB
    output_mib: float = DEFAULT_OUTPUT_MIB

    @property
    def memory_bytes(self) -> int:
        return int(self.memory_gib * (1 << 30))

    @property
    def output_bytes(self) -> int:
        return int(self.output_mib * (1 << 20))


@dataclasses.dataclass
class TestInfo:
    """A graded test and its points, from the grader's own collection of the pristine suite."""

    nodeid: str
    name: str
    lesson: int
    points: float


@dataclasses.dataclass
class LessonGrade:
    number: int
    status: str  # "ok", "missing", "timeout", "crashed", "error"
    reason: str = ""
    tests: list[TestResult] = dataclasses.field(default_factory=list)
    seconds: float = 0.0
    flags: list[str] = dataclasses.field(default_factory=list)
    log_tail: str = ""
    notes: str = ""  # for the feedback, e.g. the lines a notebook's conversion left out
    # Points whose verdict was made where no student code ran (kata.grading.outside): a
    # covered lesson's checked points, a missing lesson's all; 0 unless someone says so.
    outside: float = 0.0

    @property
    def earned(self) -> float:
        return sum(t.earned for t in self.tests) if self.status == "ok" else 0.0

    @property
    def verified_outside(self) -> float:
        """The points of this lesson whose verdict no student code could have made."""
        return min(self.outside, self.possible)

    @property
    def possible(self) -> float:
        return sum(t.points for t in self.tests)


@dataclasses.dataclass
class StudentGrade:
    """One student's grade.

    ``sandbox`` says how their lessons ran: ``"bwrap"``, ``"user"`` (as the
    unprivileged grading user, Gradescope's fallback) or ``"none"``
    (unsandboxed: the gradebook says so).
    """

    student: str
    key: str
    lessons: dict[int, LessonGrade]
    error: str = ""
    sandbox: str = "none"
    late: Late | None = None  # set when a due date is known (kata.grading.late)

    def total(self) -> tuple[float, float]:
        """Points earned (after any late penalty) and possible, bonus lesson left out."""
        graded = [g for n, g in self.lessons.items() if not get_lesson(n).bonus]
        return self.after_penalty(sum(g.earned for g in graded)), sum(g.possible for g in graded)

    def verified_outside(self) -> tuple[float, float]:
        """Points verified outside the student's process and points possible, bonus left out."""
        graded = [g for n, g in self.lessons.items() if not get_lesson(n).bonus]
        return sum(g.verified_outside for g in graded), sum(g.possible for g in graded)

    def after_penalty(self, points: float) -> float:
        """``points`` less the late penalty, to two decimals."""
        return points if self.late is None else round(points * self.late.factor, 2)

    def to_dict(self) -> dict:
        return {
            "schema": CACHE_SCHEMA,
            "student": self.student,
            "key": self.key,
            "error": self.error,
            "sandbox": self.sandbox,
            "lessons": [dataclasses.asdict(g) for g in self.lessons.values()],
            "late": dataclasses.asdict(self.late) if self.late is not None else None,
        }

    @classmethod
    def from_dict(cls, data: dict) -> StudentGrade:
        if data.get("schema") != CACHE_SCHEMA:
            raise ValueError("not a kata grade record")
        lessons = {}
        for row in data["lessons"]:
            row = dict(row)
            row["tests"] = [TestResult(**t) for t in row["tests"]]
            lessons[row["number"]] = LessonGrade(**row)
        late = Late(**data["late"]) if data.get("late") else None
        return cls(data["student"], data["key"], lessons, data.get("error", ""),
                   data.get("sandbox", "none"), late)


def record_key(path: Path | None = None) -> bytes:
    """The key that signs cached records, created on first use (mode 0600).

    Args:
        path: where it lives; default ``$KATA_GRADE_KEY_FILE`` or
            ``~/.cache/kata/grade-key`` (``$XDG_CACHE_HOME`` honoured): never under ``--out``.

    Returns:
        32 random bytes, the same on every run of this user.
    """
    path = key_path() if path is None else path
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_bytes(32)
    write_atomic(path, key, mode=0o600)
    return key


def key_path() -> Path:
    """Where the record key lives: ``$KATA_GRADE_KEY_FILE``, else ``~/.cache/kata/grade-key``."""
    named = os.environ.get(KEY_ENV)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return Path(named) if named else cache / "kata" / "grade-key"


def mac(key: bytes, body: str) -> str:
    """The HMAC-SHA256 of ``body`` under ``key``, in hex (records and shard manifests)."""
    return _mac(key, body)


def _mac(key: bytes, body: str) -> str:
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def signed_record(grade: StudentGrade, key: bytes) -> str:
    """The cached record's text: the grade and its HMAC under ``key``."""
    body = json.dumps(grade.to_dict(), sort_keys=True)
    return json.dumps({"record": body, "mac": _mac(key, body)}) + "\n"


def read_record(text: str, key: bytes) -> StudentGrade | None:
    """The grade in a cached record, or ``None`` when it isn't one signed with ``key``."""
    try:
        wrapper = json.loads(text)
        body, mac = wrapper["record"], wrapper["mac"]
        if not isinstance(body, str) or not hmac.compare_digest(str(mac), _mac(key, body)):
            return None
        return StudentGrade.from_dict(json.loads(body))
    except (ValueError, KeyError, TypeError):
        return None


def load_cached(out: Path, student: str, key: bytes) -> StudentGrade | None:
    try:
        text = (out / CACHE_FOLDER / f"{student}.json").read_text()
    except (OSError, UnicodeDecodeError):
        return None
    return read_record(text, key)
