"""The kata command's argument handling (each subcommand's work is tested with its module)."""

import pytest

from kata import cli


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("tutorial", "status", "hint", "watch", "reset", "solution", "grade", "release", "bench", "images"):
        assert command in out


@pytest.mark.parametrize("text, number", [("3", 3), ("03", 3), ("10", 10)])
def test_lessons_are_named_by_number(text, number):
    assert cli.build_parser().parse_args(["hint", text]).lesson == number


def test_an_unknown_lesson_is_a_clear_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["hint", "42"])
    assert exit_info.value.code == 2
    assert "There is no lesson '42'. The lessons are 01" in capsys.readouterr().err


def test_python_dash_m_kata_is_the_kata_command():
    """``python -m kata hint 1`` works where the ``kata`` script is not on PATH (a reviewer tried it first)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "kata", "hint", "99"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "There is no lesson '99'" in done.stderr
