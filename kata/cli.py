"""The ``kata`` command: parse, call one function of the kata package, print.

Every subcommand's work lives in its own module (``kata.student.*``,
``kata.tutorial``, ``kata.grading``, ``kata.release``, ``kata.bench``,
``kata.dev``); this file only finds the checkout the user stands in and wires
arguments to them, importing each lazily so that ``kata hint 3`` never waits
for TensorFlow.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _lesson_number(text: str) -> int:
    from kata.impl import ImplError, get_lesson

    try:
        return get_lesson(text).number
    except ImplError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    """The ``kata`` command's parser: one subcommand per tool, lessons named by number."""
    parser = argparse.ArgumentParser(
        prog="kata",
        description="The Fashion-MNIST Keras kata: lessons, progress, grading and benchmarks.",
    )
    language = argparse.ArgumentParser(add_help=False)
    language.add_argument(
        "--lang", default=argparse.SUPPRESS, metavar="LANG",
        help="the language of the output: en or zh_CN (default: $KATA_LANG, else the locale)",
    )  # fmt: skip
    parser.add_argument("--lang", default=None, metavar="LANG", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, **kwargs) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[language], **kwargs)


    p = command("tutorial", help="run the reference pipeline end to end on the real data")
    p.add_argument("--out", type=Path, default=Path("kata-output"), help="folder for figures and the saved model (default: kata-output)")
    p.add_argument("--epochs", type=int, default=10, help="training epochs (default: 10, as the tutorial)")

    p = command("status", help="points per lesson, the next lesson, overall progress")
    p.add_argument("--all", "--capstone", dest="all", action="store_true", help="also run the capstone and the bonus lesson (they train for minutes)")
    p.add_argument("--fresh", action="store_true", help="run every lesson again, even those that passed and haven't changed")

    p = command("hint", help="the next hint for a lesson")
    p.add_argument("lesson", type=_lesson_number)
    p.add_argument("--all", action="store_true", help="show every hint of the lesson")

    p = command("watch", help="re-run the current lesson each time a lesson file is saved")
    p.add_argument("lesson", type=_lesson_number, nargs="?", default=None, help="start at this lesson (default: the first without full points)")
    p.add_argument("--poll", action="store_true", help="poll for changes (network drives, where file events don't arrive)")
    p.add_argument("--fresh", action="store_true", help="run each check in a brand-new Python process instead of forking it from one that imported TensorFlow once (slower)")

    p = command("reset", help="restore a lesson's stub, keeping your version in a backup")
    p.add_argument("lesson", type=_lesson_number)
    p.add_argument("--yes", "-y", action="store_true", help="don't ask for confirmation")

    p = command("solution", help="show a lesson's reference solution once you have full points")
    p.add_argument("lesson", type=_lesson_number)
    p.add_argument("--force", action="store_true", help="show it even without full points")

    p = command("grade", help="grade a folder of student submissions (instructors)")
    p.add_argument("submissions", type=Path, nargs="?", help="folder of submissions: folders or .zip files, one per student")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: grades; with --gradescope: /autograder/results)")
    p.add_argument("--timeout", type=float, default=None, help="seconds allowed per lesson (default: 300)")
    p.add_argument("--jobs", type=int, default=1, help="sandboxes at the same time, each grading one submission's lessons one after another (default: 1; the number of cores is a good start)")
    p.add_argument("--force", action="store_true", help="regrade every submission, changed or not")
    p.add_argument("--gradescope", action="store_true", help="run inside Gradescope's autograder (SUBMISSIONS defaults to /autograder/submission)")
    p.add_argument("--lessons", default=None, metavar="LIST", help="grade only these lessons, e.g. 3,4 or 1-5 (default: every lesson)")
    p.add_argument("--prairielearn", action="store_true", help="run inside PrairieLearn's external grader (SUBMISSIONS defaults to /grade/student, --out to /grade/results)")
    p.add_argument("--format", default=None, metavar="LIST", help="also write these platforms' outputs: prairielearn (prairielearn/STUDENT.json), canvas (canvas.csv); e.g. prairielearn,canvas")
    p.add_argument("--canvas-assignment", default="Fashion-MNIST kata", metavar="NAME", help="canvas.csv's assignment column: a new assignment's name, or 'Name (id)' for an existing one (default: Fashion-MNIST kata)")
    p.add_argument("--canvas-roster", type=Path, default=None, metavar="CSV", help="the gradebook exported from Canvas: fills each student's Canvas ID, SIS IDs and section (submissions named by SIS Login ID, SIS User ID or name)")
    p.add_argument("--fresh", action="store_true", help="a brand-new sandbox for every lesson run instead of one per submission forking its lessons (slower)")
    p.add_argument("--skip-slow", action="store_true", help="leave out the tests that train on the full data (the capstone's and the bonus's accuracy): a quick trial of a grading set-up, whose grades count only the other tests; not with --gradescope or --prairielearn")
    p.add_argument("--sandbox", choices=["auto", "bwrap", "user", "none"], default="auto", help="where lessons run: auto (bubblewrap when it works here, else says loudly why), bwrap, user (Gradescope: as the unprivileged user kata-grader) or none (unsandboxed; the gradebook says so)")
    p.add_argument("--memory", type=float, default=None, metavar="GIB", help="address-space limit per lesson run in GiB (default: 8)")
    p.add_argument("--output-limit", type=float, default=None, metavar="MIB", help="output a lesson run may write, in MiB (default: 64)")
    p.add_argument("--shard", default=None, metavar="K/N", help="grade only shard K of N (K from 0: a GitHub Actions strategy.job-index or Kubernetes JOB_COMPLETION_INDEX), split by a hash of the student's name; then kata merge")
    p.add_argument("--due", default=None, metavar="TIME", help="due date, e.g. 2026-12-01T23:59 (local time unless an offset is given): compared with the newest time of each submission's lesson files")
    p.add_argument("--late-penalty", default=None, metavar="RATE", help="taken off the total per started day or hour late, e.g. 10%%/day or 2%%/hour (default: none)")
    p.add_argument("--late-cap", default=None, metavar="PCT", help="the most a late penalty takes, e.g. 50%% (default: 100%%)")

    p = command("merge", help="merge the outputs of kata grade --shard K/N runs into one class (instructors)")
    p.add_argument("folders", type=Path, nargs="+", metavar="DIR", help="the --out folder of every shard")
    p.add_argument("--out", type=Path, required=True, help="where the class's gradebook, feedback, gradescope/ and scores.png go")
    p.add_argument("--format", default=None, metavar="LIST", help="also write these platforms' outputs, as kata grade --format does: prairielearn, canvas")
    p.add_argument("--canvas-assignment", default="Fashion-MNIST kata", metavar="NAME", help="canvas.csv's assignment column (as kata grade)")
    p.add_argument("--canvas-roster", type=Path, default=None, metavar="CSV", help="the gradebook exported from Canvas (as kata grade)")

    p = command("classroom", help="write the GitHub Classroom autograding workflow for the student repositories (instructors)")
    p.add_argument("--template", required=True, metavar="OWNER/REPO", help="the template repository the students' repositories are made from (a kata release): its suites are the pristine ones")
    p.add_argument("--ref", required=True, metavar="COMMIT", help="the template's commit whose suites grade (a full 40-character SHA, so a later push can't change the tests)")
    p.add_argument("--out", type=Path, default=None, help="where to write it (default: .github/workflows/classroom.yml in the current folder)")
    p.add_argument("--lessons", default=None, metavar="LIST", help="only these lessons, e.g. 1-9 (default: every lesson with a suite)")
    p.add_argument("--timeout", type=int, default=None, metavar="MINUTES", help="minutes per lesson step (default: 10; 30 for the lessons that train on the full data)")

    p = command("release", help="write a student copy of the repository (no solutions)")
    p.add_argument("out", type=Path)

    p = command("bench", help="training-step throughput benchmarks")
    p.add_argument("--quick", action="store_true", help="a short run (an estimated 8 minutes on 2 quiet cores)")
    p.add_argument("--json", type=Path, default=None, metavar="FILE", help="write the result rows as JSON")
    p.add_argument("--compare", action="store_true", help="compare with earlier saved runs")
    p.add_argument("--impl", default="lessons", help="whose lessons 05 and 11 to measure beside the reference's (default: lessons, yours)")
    p.add_argument("--chart", type=Path, default=None, metavar="FILE", help="where to write the PNG bar chart (default: .benchmarks/throughput.png)")
    p.add_argument("--select", default=None, metavar="EXPR", help="run only the benchmarks whose id matches this pytest -k expression, e.g. 'matmul and numpy'")

    p = sub.add_parser("notebooks", help="write one Jupyter notebook per lesson (needs the notebook extra)")
    p.add_argument("out", type=Path, help="folder for the notebooks, e.g. notebooks/")
    p.add_argument("--lang", default="en", choices=["en", "zh-CN"], help="the guides' language (default: en)")
    p.add_argument("--repo", default=None, metavar="URL", help="git URL the Colab set-up cell clones (default: this clone's origin)")
    p.add_argument("--force", action="store_true", help="write existing notebooks again, after a backup of each")

    p = command("images", help="regenerate the tutorial's pictures into docs/images/")
    p.add_argument("--out", type=Path, default=None, help="folder to write to (default: docs/images)")

    p = command("dev", help="for authors: keep the packaged stubs in sync and check them")
    dev = p.add_subparsers(dest="dev_command", required=True, metavar="DEV_COMMAND")
    dev.add_parser("sync", help="copy every lessons/NN stub into kata/stubs/ (package data)")
    q = dev.add_parser("check", help="stubs in sync, every stub scores 0, every reference full points")
    q.add_argument("--skip-slow", action="store_true", help="leave out the lessons that train on the full data")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``kata`` command.

    Args:
        argv: the arguments after ``kata`` (default: ``sys.argv[1:]``).

    Returns:
        The exit code.
    """
    from kata import i18n
    from kata.checkout import Checkout, CheckoutError

    args = build_parser().parse_args(argv)
    i18n.use(args.lang)
    command = args.command
    if command == "merge":  # from the shards' records alone: no checkout needed
        from kata.grading import merge

        return merge.main(args)
    try:
        if command in ("tutorial", "images", "grade", "notebooks", "classroom"):
            # the reference, the grader's pristine suites and the guides work from any folder
            checkout = Checkout.here_or_installed()
        elif command == "bench":
            checkout = _checkout_or_none()  # anyone can benchmark, in a checkout or not
        else:
            checkout = Checkout.find()
    except CheckoutError as error:
        print(error, file=sys.stderr)
        return 2
    if command == "grade":
        from kata.grading import command as grading

        return grading.main(args, checkout)
    if command in ("tutorial", "images"):
        from kata.tutorial import commands

        return getattr(commands, f"main_{command}")(args, checkout)
    if command in ("status", "hint", "watch", "reset", "solution"):
        import importlib

        return importlib.import_module(f"kata.student.{command}").main(args, checkout)
    if command == "classroom":
        from kata import classroom

        return classroom.main(args, checkout)
    if command == "release":
        from kata import release

        return release.main(args, checkout)
    if command == "bench":
        from kata.bench import command as bench_command

        return bench_command.main(args, checkout)
    if command == "notebooks":
        from kata.notebook import build

        return build.main(args, checkout)
    if command == "dev":
        from kata import dev

        return dev.main(args, checkout)
    raise AssertionError(command)


def _checkout_or_none():
    from kata.checkout import Checkout, CheckoutError

    try:
        return Checkout.find()
    except CheckoutError:
        return None


if __name__ == "__main__":
    sys.exit(main())
