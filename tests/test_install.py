"""A plain (non-editable) ``pip install .`` gives a working ``kata`` in a released workshop copy.

The package is built from a copy of this repository's source and installed
with ``pip install --no-deps --target`` into a fresh virtual environment.
That environment sees the running interpreter's site-packages through a
``.pth`` file (TensorFlow, pytest, rich ... are not installed twice; their own
``.pth`` files, such as an editable install's, are not read), but not this
checkout: the ``kata`` it runs is the installed one.  Then, in a folder
that is not the repository, it writes a student copy with ``kata release``
and runs ``kata status``, ``kata reset`` and a small ``kata bench --quick``
there.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from kata.impl import ROOT

SOURCE = ["kata", "pyproject.toml", "README.md", "LICENSE"]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict[str, Path]:
    """A fresh venv with the kata installed from a wheel; returns its python and kata script."""
    base = tmp_path_factory.mktemp("install")
    source = base / "source"
    source.mkdir()
    for name in SOURCE:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif (ROOT / name).is_file():
            shutil.copy2(ROOT / name, source / name)
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    target = Path(subprocess.check_output(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip())
    shared = [p for p in [*site.getsitepackages(), site.getusersitepackages()] if Path(p).is_dir()]
    shared += [p for p in sys.path if p.endswith("site-packages") and p not in shared]
    (target / "_shared.pth").write_text("".join(f"{p}\n" for p in shared))
    done = subprocess.run(
        [python, "-m", "pip", "install", "--no-deps", *build_options(),
         "--target", str(target), str(source)],
        cwd=base, env=clean_env(), capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return {"python": python, "kata": target / "bin" / "kata", "site": target, "base": base}


def build_options() -> list[str]:
    """Build with this environment's setuptools when it can (offline, fast); else let pip fetch them."""
    import importlib.util

    if importlib.util.find_spec("setuptools") is None:
        return []
    import setuptools

    major, minor = (int(part) for part in setuptools.__version__.split(".")[:2])
    if (major, minor) < (70, 1) and importlib.util.find_spec("wheel") is None:
        return []  # older setuptools builds wheels only with the wheel package
    return ["--no-build-isolation", "--no-index"]


def clean_env() -> dict[str, str]:
    """This environment without what points Python or the kata at this checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "KATA_", "PYTEST_", "VIRTUAL_ENV"))}
    env.update(COLUMNS="150", TERM="dumb", NO_COLOR="1", MPLBACKEND="Agg", TF_CPP_MIN_LOG_LEVEL="2")
    return env


def kata(installed, cwd: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([installed["kata"], *args], cwd=cwd, env=clean_env(),
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def test_the_install_is_a_real_copy_with_the_stubs_as_package_data(installed):
    where = subprocess.check_output([installed["python"], "-c", "import kata; print(kata.__file__)"],
                                    cwd=installed["base"], env=clean_env(), text=True).strip()
    assert Path(where).is_relative_to(installed["site"]), f"the fresh venv imported kata from {where}"
    stubs = sorted(p.relative_to(installed["site"]).as_posix() for p in (installed["site"] / "kata" / "stubs").glob("*/*.py"))
    assert "kata/stubs/03/build.py" in stubs, f"the stubs are not package data: {stubs}"
    assert (installed["site"] / "kata" / "bench" / "suite" / "test_throughput.py").is_file(), "the benchmark suite is not installed"


def test_release_reset_status_and_bench_work_in_a_released_copy(installed, tmp_path):
    copy = tmp_path / "workshop"
    done = kata(installed, ROOT, "release", str(copy))
    assert done.returncode == 0, done.stdout + done.stderr
    assert (copy / "lessons" / "03" / "build.py").read_bytes() == (ROOT / "kata" / "stubs" / "03" / "build.py").read_bytes()
    assert (copy / "lessons" / "03" / "test_build.py").is_file(), "the student copy has no lessons"

    mine = copy / "lessons" / "03" / "build.py"
    mine.write_text(mine.read_text() + "\n# my work\n")
    done = kata(installed, copy / "lessons", "reset", "3", "--yes")  # from a subfolder, as git finds its root
    assert done.returncode == 0, done.stdout + done.stderr
    assert mine.read_bytes() == (ROOT / "kata" / "stubs" / "03" / "build.py").read_bytes()
    (backup,) = (copy / ".kata" / "backups").iterdir()
    assert backup.read_text().endswith("# my work\n")

    done = kata(installed, copy, "status")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "│ 03 " in done.stdout and "not started" in done.stdout, done.stdout
    assert "Next: lesson 01" in done.stdout, done.stdout
    assert (copy / ".kata" / "status.json").is_file(), "status wrote its state elsewhere"

    done = kata(installed, copy, "bench", "--quick", "--select", "matmul and numpy")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "fp32 matmul, numpy" in done.stdout, done.stdout
    assert list((copy / ".benchmarks").glob("*/0001_*.json")), "the run was not saved in the copy's .benchmarks/"


def test_commands_outside_a_checkout_say_where_to_go(installed, tmp_path):
    done = kata(installed, tmp_path, "status")
    assert done.returncode == 2
    assert "not inside a copy of the kata" in done.stderr and "cd into the folder that holds lessons/" in done.stderr
