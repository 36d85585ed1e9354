"""Grading a class on many machines: ``kata grade --shard K/N`` and ``kata merge``.

``--shard K/N`` grades only the submissions whose student name falls in shard
K of N: the first 8 bytes of the SHA-256 of the name (as the gradebook spells
it), as a number, modulo N.  K counts from 0, as GitHub Actions'
``strategy.job-index`` and a Kubernetes Indexed Job's ``JOB_COMPLETION_INDEX``
do, so either goes in as it is: ``--shard $JOB_COMPLETION_INDEX/4``.

Each shard writes its usual outputs for its own students, the signed records
(``.kata-grade/``) and a signed *shard manifest*, ``.kata-shard.json``: K, N,
the lessons, the grader's fingerprint (:func:`kata.grading.grader.grader_fingerprint`)
and its students.  ``kata merge`` trusts a record or a manifest only when its
HMAC checks out under the record key (``$KATA_GRADE_KEY_FILE``): every shard
and the merge must use the same key, kept outside every ``--out``.  It
refuses, naming what to fix: a shard missing or given twice, a student in two
shards, shards with different lessons or graders.  Then it writes the outputs
from the records exactly as one unsharded run would.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
from pathlib import Path

from kata.grading.outputs import write_output, write_outputs
from kata.grading.records import CACHE_FOLDER, StudentGrade, key_path, mac, read_record

MANIFEST = ".kata-shard.json"
MANIFEST_SCHEMA = "kata-shard/1"


class MergeError(ValueError):
    """Shards that can't be merged, or a ``--shard`` that can't be read; says what to fix."""


@dataclasses.dataclass(frozen=True)
class ClassShard:
    """Shard ``index`` (from 0) of ``count``."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, student: str) -> bool:
        """Is ``student``'s submission graded in this shard?"""
        return shard_of(student, self.count) == self.index


def shard_of(student: str, count: int) -> int:
    """The shard (from 0) of ``student`` among ``count``: SHA-256 of the name, modulo ``count``.

    Example::

        shard_of("ada", 4)   # the same on every machine and every run
    """
    return int.from_bytes(hashlib.sha256(student.encode()).digest()[:8], "big") % count


def parse_shard(text: str) -> ClassShard:
    """``--shard K/N`` as a :class:`ClassShard`.

    Raises:
        MergeError: naming what to write instead.
    """
    parts = text.strip().split("/")
    try:
        index, count = (int(part) for part in parts)
    except ValueError:
        raise MergeError(f"--shard {text}: write K/N, two whole numbers, e.g. --shard 0/4 for "
                         "the first of four shards.") from None
    if count < 1:
        raise MergeError(f"--shard {text}: N, the number of shards, must be 1 or more.")
    if not 0 <= index < count:
        raise MergeError(f"--shard {text}: K counts from 0, so it must be 0 to {count - 1} "
                         f"(a GitHub Actions strategy.job-index or a Kubernetes "
                         f"JOB_COMPLETION_INDEX is already counted so).")
    return ClassShard(index, count)


def write_manifest(out: Path, shard: ClassShard, lessons: list[int], grader: str,
                   students: list[tuple[str, str]], key: bytes, options: dict | None = None) -> None:
    """Write the signed shard manifest into ``out``.

    Args:
        out: the shard's output folder.
        shard: which shard.
        lessons: the lessons graded.
        grader: the grader's fingerprint.
        students: ``(entry name, student)`` for each submission of the shard, as found.
        key: the record key.
        options: the other options that decide a grade (limits, late rules), as JSON values.
    """
    body = json.dumps({"schema": MANIFEST_SCHEMA, "shard": shard.index, "of": shard.count,
                       "lessons": lessons, "grader": grader, "options": options or {},
                       "students": [list(pair) for pair in students]}, sort_keys=True)
    write_output(out / MANIFEST, json.dumps({"manifest": body, "mac": mac(key, body)}) + "\n")


def read_manifest(folder: Path, key: bytes) -> dict:
    """The signed shard manifest of ``folder``.

    Raises:
        MergeError: there is none, or it isn't signed with ``key``.
    """
    path = folder / MANIFEST
    try:
        wrapper = json.loads(path.read_text(encoding="utf-8"))
        body = wrapper["manifest"]
        trusted = hmac.compare_digest(str(wrapper["mac"]), mac(key, body))
        data = json.loads(body) if trusted else None
    except FileNotFoundError:
        raise MergeError(f"{folder} has no {MANIFEST}: it isn't the --out of a "
                         "kata grade --shard K/N run.") from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise MergeError(f"{path} can't be read ({error}); grade that shard again.") from None
    if data is None or data.get("schema") != MANIFEST_SCHEMA:
        raise MergeError(f"{path} is not signed with the record key {key_path()}: grade every "
                         "shard and merge with the same key (set KATA_GRADE_KEY_FILE to it).")
    return data


def merge(folders: list[Path], out: Path, key: bytes) -> list[StudentGrade]:
    """Merge the outputs of every shard of a class into ``out``.

    Args:
        folders: the ``--out`` folders of ``kata grade --shard K/N``, one per shard.
        out: where the class's outputs go (it may be one of ``folders``).
        key: the record key every shard signed with.

    Returns:
        The grades, in the order one unsharded run would have them.

    Raises:
        MergeError: naming the folder and what to fix; nothing was written.
        OutputError: some outputs couldn't be written; every other one was.

    Example::

        merge([Path("shard-0"), Path("shard-1")], Path("grades"), record_key())
    """
    manifests = [(folder, read_manifest(folder, key)) for folder in folders]
    _check_shards(manifests)
    entries: list[tuple[str, StudentGrade]] = []
    seen: dict[str, Path] = {}
    lessons = manifests[0][1]["lessons"]
    for folder, manifest in manifests:
        for entry, student in manifest["students"]:
            if student in seen:
                raise MergeError(f"{student} was graded in both {seen[student]} and {folder}: "
                                 "merge the shards of one class, each once.")
            seen[student] = folder
            path = folder / CACHE_FOLDER / f"{student}.json"
            try:
                grade = read_record(path.read_text(encoding="utf-8"), key)
            except (OSError, UnicodeDecodeError):
                grade = None
            if grade is None or grade.student != student or sorted(grade.lessons) != lessons:
                raise MergeError(f"{path} is missing or not signed with the record key "
                                 f"{key_path()}: grade shard {manifest['shard']}/{manifest['of']} "
                                 "again with that key.")
            entries.append((entry, grade))
    entries.sort(key=lambda pair: pair[0])  # the order kata grade finds the submissions in
    grades = [grade for _, grade in entries]
    write_outputs(out, grades, lessons, key)
    return grades


def _check_shards(manifests: list[tuple[Path, dict]]) -> None:
    if not manifests:
        raise MergeError("Name the shards' output folders: kata merge DIR1 DIR2 … --out DIR.")
    first_folder, first = manifests[0]
    by_index: dict[int, Path] = {}
    for folder, manifest in manifests:
        for field, what in (("of", "a different number of shards"),
                            ("lessons", "different lessons (--lessons)"),
                            ("grader", "a different grader (suites, solutions or kata version)"),
                            ("options", "other limits or late rules (--timeout, --memory, "
                                        "--output-limit, --due, --late-penalty, --late-cap, --skip-slow)")):
            if manifest[field] != first[field]:
                raise MergeError(f"{folder} was graded with {what} than {first_folder}: grade "
                                 "every shard of a class from the same checkout and options.")
        if manifest["shard"] in by_index:
            raise MergeError(f"{by_index[manifest['shard']]} and {folder} are both shard "
                             f"{manifest['shard']}/{manifest['of']}: name each shard once.")
        by_index[manifest["shard"]] = folder
    missing = sorted(set(range(first["of"])) - set(by_index))
    if missing:
        raise MergeError("Shard " + ", ".join(f"{k}/{first['of']}" for k in missing)
                         + " is missing: grade it (kata grade … --shard K/N) and name its folder too.")


def main(args) -> int:
    """The ``kata merge DIR… --out DIR`` command."""
    from rich.console import Console

    from kata.grading.outputs import OutputError, summary_table

    console = Console()
    if not key_path().is_file():
        console.print(f"[red]No record key at {key_path()}: kata merge needs the key every shard "
                      "signed with. Set KATA_GRADE_KEY_FILE to it.[/red]")
        return 2
    from kata.grading.canvas import CanvasError
    from kata.grading.platforms import (
        OUTPUT_NAMES,
        PlatformError,
        platform_options,
        write_platform_outputs,
    )
    from kata.grading.records import record_key

    try:
        formats, roster = platform_options(args)
    except (PlatformError, CanvasError) as error:
        console.print(f"[red]{error}[/red]")
        return 2
    try:
        grades = merge(args.folders, args.out, record_key())
        if formats:
            write_platform_outputs(args.out, grades, formats, assignment=args.canvas_assignment,
                                   roster=roster)
    except (MergeError, PlatformError, CanvasError) as error:
        console.print(f"[red]{error}[/red]")
        return 2
    except OutputError as error:
        console.print(f"[red]{error}[/red]")
        return 1
    lessons = sorted(grades[0].lessons) if grades else []
    if grades:
        console.print(summary_table(grades, lessons))
    extra = "".join(f", {OUTPUT_NAMES[f]}" for f in formats)
    console.print(f"Merged {len(args.folders)} shards, {len(grades)} students, into {args.out}: "
                  f"gradebook.csv, feedback/, gradescope/, scores.png{extra}")
    return 0
