"""``kata dev sync`` and ``kata dev check``, in a temporary copy of the repository with lesson 03 only."""

from __future__ import annotations

import shutil
from pathlib import Path

from kata import cli, dev
from kata.checkout import Checkout
from kata.impl import ROOT


def copy_with_lesson_03(tmp_path: Path) -> Checkout:
    repo = tmp_path / "repo"
    repo.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", ".kata", "*.pyc")
    for name in ["pyproject.toml", "conftest.py"]:
        shutil.copy2(ROOT / name, repo / name)
    for folder in ["lessons/03", "solutions/03", "kata/stubs/03"]:
        shutil.copytree(ROOT / folder, repo / folder, ignore=ignore)
    return Checkout(repo)


def test_sync_copies_a_changed_stub_and_only_that(tmp_path):
    checkout = copy_with_lesson_03(tmp_path)
    assert dev.sync(checkout) == []
    stub = checkout.lesson_file(3)
    stub.write_text(stub.read_text() + "\n# a clearer contract\n")
    assert dev.out_of_sync(checkout) == [3]
    assert dev.sync(checkout) == [checkout.source_stubs / "03" / "build.py"]
    assert (checkout.source_stubs / "03" / "build.py").read_bytes() == stub.read_bytes()
    assert dev.out_of_sync(checkout) == []


def test_check_finds_a_stub_out_of_sync_and_a_stub_that_earns_points(tmp_path, monkeypatch, capsys):
    checkout = copy_with_lesson_03(tmp_path)
    monkeypatch.chdir(checkout.root)
    assert cli.main(["dev", "check"]) == 0, capsys.readouterr().out
    assert "every stub scores 0, every reference full points" in capsys.readouterr().out

    # A stub that already holds the answer: in sync (both copies), but it earns points.
    shutil.copyfile(checkout.solution_file(3), checkout.lesson_file(3))
    assert dev.out_of_sync(checkout) == [3]
    problems = dev.check(checkout)
    assert any("kata dev sync" in p for p in problems), problems
    dev.sync(checkout)
    problems = dev.check(checkout)
    assert problems == ["the untouched stub earns points: lesson 03 · build: 10/10 points"], problems
