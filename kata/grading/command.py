"""``kata grade``: grade a class, shard by shard, each shard in a sandbox of its own.

A *shard* is some lessons of one submission, graded one after another, in
ascending order, by one sandbox's preloader (:mod:`kata.grading.shards`).  A
run is shown only the references its suite needs, of earlier lessons; which
shards may be alive together is decided by the class-wide
:class:`~kata.grading.schedule.Gate`, so that no sandbox that has seen a
lesson's reference lives beside one that has that lesson still to grade.

The outputs are written after every sandbox is closed and every process of
the class is dead.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from pathlib import Path

from kata.checkout import Checkout
from kata.grading import late as late_rules
from kata.grading.canvas import CanvasError
from kata.grading.grader import grade_class, grader_fingerprint
from kata.grading.merge import MergeError, parse_shard, write_manifest
from kata.grading.outputs import (
    OutputError,
    gradescope_results,
    summary_table,
    write_output,
)
from kata.grading.platforms import OUTPUT_NAMES, PlatformError, platform_options
from kata.grading.records import (
    DEFAULT_MEMORY_GIB,
    DEFAULT_OUTPUT_MIB,
    DEFAULT_TIMEOUT,
    Limits,
    record_key,
)
from kata.grading.sandbox import SandboxError, choose
from kata.grading.submissions import (
    SubmissionError,
    find_submissions,
    graded_lessons,
    gradescope_submission,
)
from kata.outcome import fmt

GRADESCOPE_SUBMISSION = Path("/autograder/submission")
GRADESCOPE_RESULTS = Path("/autograder/results")


def main(args, checkout: Checkout) -> int:
    """The ``kata grade`` command.

    Args:
        args: the parsed arguments (:mod:`kata.cli`).
        checkout: the instructor's checkout, whose pristine suites grade.

    Returns:
        The exit code.
    """
    from rich.console import Console

    console = Console(stderr=False)
    limits = Limits(
        timeout=args.timeout if args.timeout is not None else DEFAULT_TIMEOUT,
        memory_gib=args.memory if args.memory is not None else DEFAULT_MEMORY_GIB,
        output_mib=args.output_limit if args.output_limit is not None else DEFAULT_OUTPUT_MIB,
    )
    try:
        mode, warning = choose(args.sandbox)
        lessons = graded_lessons(args.lessons, checkout)
        if warning:
            console.print(f"[bold red]{warning}[/bold red]")
        rules = late_rules.rules(args)
        if args.skip_slow and (args.gradescope or args.prairielearn):
            console.print("[red]--skip-slow is for trying a grading set-up, not for the grades a "
                          "platform records: leave it out with --gradescope or --prairielearn.[/red]")
            return 2
        if args.gradescope:
            return _gradescope(args, checkout, lessons, limits, mode, console, rules)
        if args.prairielearn:
            from kata.grading.prairielearn import grade_prairielearn

            return grade_prairielearn(args, checkout, lessons, limits, mode, console)
        formats, roster = platform_options(args)
        if args.submissions is None:
            console.print("[red]Name the folder of submissions: kata grade SUBMISSIONS --out DIR "
                          "(or run kata grade --gradescope inside Gradescope).[/red]")
            return 2
        shard = parse_shard(args.shard) if args.shard else None
        submissions = find_submissions(args.submissions)
    except (SubmissionError, SandboxError, PlatformError, CanvasError, late_rules.LateError,
            MergeError) as error:
        console.print(f"[red]{error}[/red]")
        return 2
    if not submissions:
        console.print(f"[red]{args.submissions} holds no submissions (folders or .zip files).[/red]")
        return 2
    out = args.out or Path("grades")
    if shard is not None:
        submissions = [s for s in submissions if shard.holds(s.student)]
        console.print(f"Shard {shard}: {len(submissions)} of the class's submissions.")
        options = {"limits": dataclasses.asdict(limits), "late": late_rules.as_json(*rules),
                   "skip_slow": args.skip_slow}
        if not submissions:  # nothing to grade, but merge must know this shard is done
            try:
                write_manifest(out, shard, lessons, grader_fingerprint(checkout, lessons, args.skip_slow), [],
                               record_key(), options)
            except OutputError as error:
                console.print(f"[red]{error}[/red]")
                return 1
            return 0
    lateness = late_rules.of_class(submissions, *rules)
    console.print(f"Grading {len(submissions)} submission{'s' * (len(submissions) != 1)}, lessons "
                  f"{', '.join(f'{n:02d}' for n in lessons)}, {args.jobs} at a time, sandbox: "
                  f"{mode}; limits per lesson: {limits.timeout:g} s, {limits.memory_gib:g} GiB, "
                  f"{limits.output_mib:g} MiB of output.")
    if args.skip_slow:
        console.print("[bold yellow]--skip-slow: the tests that train on the full data are left out; "
                      "these grades count only the other tests.[/bold yellow]")
    try:
        grades = grade_class(submissions, out, lessons, limits, checkout=checkout, jobs=args.jobs,
                             force=args.force, console=console, fresh=args.fresh, mode=mode,
                             late=lateness, skip_slow=args.skip_slow)
        if formats:
            from kata.grading.platforms import write_platform_outputs

            write_platform_outputs(out, grades, formats, assignment=args.canvas_assignment,
                                   roster=roster)
        if shard is not None:
            write_manifest(out, shard, lessons, grader_fingerprint(checkout, lessons, args.skip_slow),
                           [(s.path.name, s.student) for s in submissions], record_key(), options)
    except (OutputError, RuntimeError) as error:
        console.print(f"[red]{error}[/red]")
        return 1
    console.print(summary_table(grades, lessons))
    extra = "".join(f", {OUTPUT_NAMES[f]}" for f in formats)
    console.print(f"Written to {out}: gradebook.csv, feedback/, gradescope/, scores.png{extra}")
    return 0


def _gradescope(args, checkout: Checkout, lessons: list[int], limits: Limits, mode: str,
                console, rules: tuple) -> int:
    folder = args.submissions or GRADESCOPE_SUBMISSION
    out = args.out or GRADESCOPE_RESULTS
    submission = gradescope_submission(folder)
    try:  # Gradescope's /autograder/submission_metadata.json sits beside the submission
        lateness = late_rules.of_gradescope(submission, Path(folder).parent, *rules)
    except late_rules.LateError as error:
        console.print(f"[red]{error}[/red]")
        return 2
    with tempfile.TemporaryDirectory(prefix="kata-gradescope-") as temp:
        (grade,) = grade_class([submission], Path(temp), lessons, limits,
                               checkout=checkout, jobs=args.jobs, force=True, console=console, fresh=args.fresh,
                               mode=mode, late=lateness)
    # grade_class returned: every process of every sandbox is dead.  As the grading user, end
    # every process of that user once more, whatever started it, before results.json exists.
    if mode == "user":
        from kata.grading.preloader import kill_the_rest
        from kata.grading.sandbox import grading_user

        kill_the_rest({"mode": "user", "uid": grading_user()[0]})
    try:
        write_output(out / "results.json",
                     json.dumps(gradescope_results(grade), indent=2, ensure_ascii=False) + "\n")
    except OutputError as error:
        console.print(f"[red]{error}[/red]")
        return 1
    earned, possible = grade.total()
    console.print(f"{fmt(earned)}/{fmt(possible)} points · {out / 'results.json'}")
    return 0
