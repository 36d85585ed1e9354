"""``docs/scale/``: the GitHub Actions workflow and the Kubernetes manifest an instructor uses as they are.

Each is parsed; its shell scripts pass ``bash -n``; its ``kata grade`` and ``kata merge``
lines, with the job index put in, are read by the kata's own argument parser; and the
shards it makes are 0 to N-1, N being the same number everywhere it is written.
"""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest

from kata.cli import build_parser
from kata.grading.merge import parse_shard
from kata.impl import ROOT

yaml = pytest.importorskip("yaml")
SCALE = ROOT / "docs" / "scale"


def command_line(script: str, program: str, values: dict[str, str]) -> list[str]:
    """The line running ``program`` (e.g. ``kata grade``) in a shell script, continuations
    joined, variables put in, split into words."""
    joined = script.replace("\\\n", " ")
    (line,) = [row.strip() for row in joined.splitlines() if re.search(rf"(^|/){program} ", row.strip())]
    line = line.replace('"${options[@]}"', "")
    for name, value in values.items():
        line = line.replace(f"${name}", value)
    assert "$" not in line, f"a variable left in {line!r}"
    words = shlex.split(line)
    return [words[0].rsplit("/", 1)[-1], *words[1:]]


def bash_syntax_ok(script: str) -> None:
    result = subprocess.run(["bash", "-n"], input=script, text=True, capture_output=True)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def workflow():
    return yaml.safe_load((SCALE / "github-actions.yml").read_text())


@pytest.fixture(scope="module")
def manifests():
    return {d["metadata"]["name"]: d for d in yaml.safe_load_all((SCALE / "kubernetes-job.yaml").read_text())}


def step(job: dict, name_part: str = "", uses: str = "") -> dict:
    (found,) = [s for s in job["steps"] if (name_part and name_part in s.get("name", ""))
                or (uses and s.get("uses", "").startswith(uses))]
    return found


def test_the_workflow_grades_one_shard_per_matrix_job_counted_from_0(workflow):
    assert "workflow_dispatch" in workflow.get("on", workflow.get(True))  # YAML 1.1 reads `on` as true
    grade = workflow["jobs"]["grade"]
    shards = grade["strategy"]["matrix"]["shard"]
    assert shards == list(range(len(shards))) and len(shards) >= 2
    assert grade["strategy"]["fail-fast"] is False
    run = step(grade, "Grade shard")
    assert run["env"]["K"] == "${{ matrix.shard }}" and run["env"]["N"] == "${{ strategy.job-total }}"
    bash_syntax_ok(run["run"])
    argv = command_line(run["run"], "kata grade", {"K": "3", "N": "4", "SUBMISSIONS": "submissions"})
    args = build_parser().parse_args(argv[1:])
    assert (args.command, args.out.as_posix(), args.sandbox) == ("grade", "shard-3", "bwrap")
    assert parse_shard(args.shard) == parse_shard("3/4")


def test_the_workflow_keeps_what_merge_needs_and_merges_every_shard(workflow):
    grade, merge = workflow["jobs"]["grade"], workflow["jobs"]["merge"]
    upload = step(grade, uses="actions/upload-artifact")
    assert upload["with"]["include-hidden-files"] is True  # .kata-shard.json, .kata-grade/
    assert upload["with"]["name"] == upload["with"]["path"] == "shard-${{ matrix.shard }}"
    assert merge["needs"] == "grade"
    assert step(merge, uses="actions/download-artifact")["with"] == {"pattern": "shard-*", "path": "shards"}
    argv = command_line(step(merge, "Merge")["run"], "kata merge", {})
    args = build_parser().parse_args(argv[1:])
    assert args.command == "merge" and [f.as_posix() for f in args.folders] == ["shards/shard-*"]
    for job in (grade, merge):  # one key, from one secret, for every shard and the merge
        assert job["env"]["KATA_GRADE_KEY_FILE"] == "${{ runner.temp }}/grade-key"
        key = step(job, "record key")
        assert key["env"]["KEY"] == "${{ secrets.KATA_GRADE_KEY }}"
        assert '> "$KATA_GRADE_KEY_FILE"' in key["run"]
        bash_syntax_ok(key["run"])


def test_the_indexed_job_gives_each_pod_its_shard(manifests):
    job = manifests["kata-grade"]
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed"
    container = spec["template"]["spec"]["containers"][0]
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert spec["completions"] == spec["parallelism"] == int(env["SHARDS"])
    script = container["args"][0]
    bash_syntax_ok(script)
    argv = command_line(script, "kata grade", {"JOB_COMPLETION_INDEX": "0", "SHARDS": env["SHARDS"]})
    args = build_parser().parse_args(argv[1:])
    assert parse_shard(args.shard) == parse_shard(f"0/{spec['completions']}")
    assert args.out.as_posix() == "/grading/shards/0"


def test_the_merge_job_waits_and_reads_every_shard_with_the_same_key(manifests):
    grade, merge = manifests["kata-grade"], manifests["kata-merge"]
    assert merge["spec"]["suspend"] is True and "completionMode" not in merge["spec"]
    script = merge["spec"]["template"]["spec"]["containers"][0]["args"][0]
    bash_syntax_ok(script)
    args = build_parser().parse_args(command_line(script, "kata merge", {})[1:])
    assert [f.as_posix() for f in args.folders] == ["/grading/shards/*"]
    assert args.out.as_posix() == "/grading/grades"
    claims = manifests["kata-grading"]
    assert claims["spec"]["accessModes"] == ["ReadWriteMany"]
    for job in (grade, merge):
        pod = job["spec"]["template"]["spec"]
        volumes = {v["name"]: v for v in pod["volumes"]}
        assert volumes["grading"]["persistentVolumeClaim"]["claimName"] == "kata-grading"
        assert volumes["key"]["secret"]["secretName"] == "kata-grade-key"
        container = pod["containers"][0]
        env = {e["name"]: e.get("value") for e in container["env"]}
        mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
        assert env["KATA_GRADE_KEY_FILE"] == f"{mounts['key']}/key"
