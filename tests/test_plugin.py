"""The kata pytest plugin: --impl, the points marker, score lines, the JSON report."""

import json
import textwrap

import keras  # noqa: F401  (imported before pytester's in-process runs snapshot sys.modules)
import pytest

from kata.impl import ROOT

FAKE_SUITE = textwrap.dedent(
    """
    import pytest

    @pytest.mark.points(4)
    def test_right(impl):
        assert impl.answer() == 42, "answer() should be 42"

    @pytest.mark.points(3)
    def test_wrong(impl):
        got = impl.answer() + 1
        assert got == 42, f"answer() + 1 should be 42; it came back as {got}"

    @pytest.mark.points(3)
    def test_unfinished(impl):
        impl.unfinished()

    def test_not_graded():
        pass
    """
)

FAKE_MODULE = textwrap.dedent(
    """
    def answer():
        return 42

    def unfinished():
        raise NotImplementedError("lesson 03: unfinished() is not written yet")
    """
)


@pytest.fixture(autouse=True)
def _output_as_on_a_laptop(monkeypatch):
    """pytest prints its short summary in full when CI or BUILD_NUMBER is set; these tests read
    the output a student sees, so the runs they make look the same in CI as on a laptop."""
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("BUILD_NUMBER", raising=False)


@pytest.fixture
def kata(pytester: pytest.Pytester):
    """A folder with a lesson 03 suite and a tree holding its module, and a runner."""
    pytester.makepyfile(**{"03/test_fake": FAKE_SUITE})
    pytester.makepyfile(**{"tree/03/build": FAKE_MODULE})
    pytester.makeini("[pytest]\naddopts = --import-mode=importlib -p kata.plugin\n")

    def run(*args):
        return pytester.runpytest_inprocess("03", f"--impl={pytester.path / 'tree'}", *args)

    return run


def test_score_line_counts_points_of_passing_tests(kata):
    result = kata()
    result.stdout.fnmatch_lines(["*kata score*", "lesson 03 · build: 4/10 points", "total: 4/10 points"])
    result.assert_outcomes(passed=2, failed=2)


def test_failure_shows_the_tests_message_not_a_traceback(kata):
    result = kata()
    result.stdout.fnmatch_lines(
        ["answer() + 1 should be 42; it came back as 43", "    (test: 03/test_fake.py:* · worth 3 points)"]
    )
    result.stdout.fnmatch_lines(["FAILED 03/test_fake.py::test_wrong - answer() + 1 should be 42*"])
    assert "def test_wrong" not in result.stdout.str()


def test_not_implemented_reads_as_not_started(kata):
    result = kata()
    result.stdout.fnmatch_lines(["*not started yet — see docs/lessons/03-build.md*"])
    assert "NotImplementedError" not in result.stdout.str()


def test_json_report_has_every_graded_test(kata, pytester):
    kata(f"--kata-report={pytester.path / 'out' / 'report.json'}")
    data = json.loads((pytester.path / "out" / "report.json").read_text())
    assert data["total"] == {"earned": 4, "possible": 10}
    rows = {row["name"]: row for row in data["tests"]}
    assert set(rows) == {"test_right", "test_wrong", "test_unfinished"}
    assert rows["test_right"]["earned"] == 4 and rows["test_right"]["outcome"] == "passed"
    assert rows["test_wrong"]["earned"] == 0 and "it came back as 43" in rows["test_wrong"]["message"]
    assert rows["test_unfinished"]["outcome"] == "not started"
    assert all(row["lesson"] == 3 for row in data["tests"])
    assert data["lessons"][0]["line"] == "lesson 03 · build: 4/10 points"


def test_only_selected_tests_count(kata):
    result = kata("-k", "right")
    result.stdout.fnmatch_lines(["lesson 03 · build: 4/4 points"])


def test_an_interrupted_run_says_its_points_count_only_the_tests_that_ran(kata, pytester):
    """Ctrl-C in the third test (a KeyboardInterrupt from the student's code, as a key press
    gives): the score line counts the 7 points that ran, and says so instead of passing for a score."""
    (pytester.path / "tree" / "03" / "build.py").write_text(
        FAKE_MODULE.replace('raise NotImplementedError("lesson 03: unfinished() is not written yet")',
                            "raise KeyboardInterrupt"))
    result = pytester.runpytest_inprocess("03", f"--impl={pytester.path / 'tree'}", no_reraise_ctrlc=True)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*kata score*", "Interrupted: not every test ran, so the points below count only*",
                                 "lesson 03 · build: 4/7 points"])


def test_skipped_and_erroring_graded_tests_earn_nothing(pytester):
    pytester.makepyfile(
        **{
            "03/test_fake": textwrap.dedent(
                """
                import pytest

                @pytest.fixture
                def broken():
                    raise RuntimeError("setup broke")

                @pytest.mark.points(5)
                def test_skipped():
                    pytest.skip("no reason")

                @pytest.mark.points(5)
                def test_setup_error(broken):
                    pass
                """
            )
        }
    )
    pytester.makeini("[pytest]\naddopts = --import-mode=importlib -p kata.plugin\n")
    result = pytester.runpytest_inprocess("03", f"--kata-report={pytester.path / 'r.json'}")
    result.stdout.fnmatch_lines(["lesson 03 · build: 0/10 points"])
    rows = {r["name"]: r for r in json.loads((pytester.path / "r.json").read_text())["tests"]}
    assert rows["test_skipped"]["outcome"] == "skipped"
    assert rows["test_setup_error"]["outcome"] == "error"
    assert "setup broke" in rows["test_setup_error"]["message"]


def test_impl_that_is_not_a_folder_is_a_clear_usage_error(kata, pytester):
    result = pytester.runpytest_inprocess("03", f"--impl={pytester.path / 'nowhere'}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*there is no folder*--impl=lessons*"])


def test_impl_folder_without_lessons_is_a_clear_usage_error(kata, pytester):
    (pytester.path / "empty").mkdir()
    result = pytester.runpytest_inprocess("03", f"--impl={pytester.path / 'empty'}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*has no lesson folders*"])


def test_reference_fixture_gives_the_solutions_module(pytester):
    pytester.makepyfile(
        **{
            "04/test_ref": textwrap.dedent(
                f"""
                import pytest

                @pytest.mark.points(10)
                def test_reference(reference):
                    assert reference(3).__file__ == {str(ROOT / "solutions" / "03" / "build.py")!r}
                """
            )
        }
    )
    pytester.makeini("[pytest]\naddopts = --import-mode=importlib -p kata.plugin\n")
    result = pytester.runpytest_inprocess("04")
    result.stdout.fnmatch_lines(["lesson 04 · compile: 10/10 points"])


def test_reference_fixture_refuses_the_lessons_own_reference(pytester):
    """kata grade never shows a lesson its own reference: a suite that asks for it fails here too."""
    pytester.makepyfile(
        **{
            "03/test_ref": textwrap.dedent(
                """
                import pytest

                @pytest.mark.points(10)
                def test_reference(reference):
                    reference(3)
                """
            )
        }
    )
    pytester.makeini("[pytest]\naddopts = --import-mode=importlib -p kata.plugin\n")
    result = pytester.runpytest_inprocess("03")
    result.stdout.fnmatch_lines(["*only the references of earlier lessons*"])
    assert result.ret != 0


def test_seed_is_reset_before_every_graded_test(pytester):
    pytester.makepyfile(
        **{
            "03/test_seed": textwrap.dedent(
                """
                import numpy as np
                import pytest

                draws = []

                @pytest.mark.points(5)
                @pytest.mark.parametrize("attempt", [1, 2])
                def test_draw(attempt):
                    draws.append(np.random.random())
                    if attempt == 2:
                        assert draws[0] == draws[1], "the seed was not reset"
                """
            )
        }
    )
    pytester.makeini("[pytest]\naddopts = --import-mode=importlib -p kata.plugin\n")
    pytester.runpytest_inprocess("03", "--kata-seed=7").assert_outcomes(passed=2)


def test_a_lesson_file_that_does_not_import_is_one_clear_error(pytester):
    pytester.makepyfile(
        **{
            "03/test_fake": "import pytest\n\n@pytest.mark.points(10)\ndef test_it(impl):\n    impl.build_model()\n",
            "tree/03/build": "def build_model(:\n    pass\n",
        }
    )
    pytester.makeini("[pytest]\naddopts = --import-mode=importlib -p kata.plugin\n")
    result = pytester.runpytest_inprocess("03", f"--impl={pytester.path / 'tree'}")
    result.stdout.fnmatch_lines(["*tree/03/build.py could not be imported (line 1): SyntaxError*"])
    result.stdout.fnmatch_lines(["lesson 03 · build: 0/10 points"])


# --- errors raised by the student's code ------------------------------------------------

CAPSTONE_SUITE = textwrap.dedent(
    """
    import pytest

    outcome = {}

    def shared_run(impl, tmp_path):
        if "error" not in outcome:
            try:
                impl.run(out_dir=tmp_path)
                outcome["error"] = None
            except Exception as error:
                outcome["error"] = error
        if outcome["error"] is not None:
            raise outcome["error"]

    @pytest.mark.points(3)
    def test_one(impl, tmp_path):
        shared_run(impl, tmp_path)

    @pytest.mark.points(3)
    def test_two(impl, tmp_path):
        shared_run(impl, tmp_path)

    @pytest.mark.points(4)
    def test_three(impl, tmp_path):
        shared_run(impl, tmp_path)
    """
)

CAPSTONE = textwrap.dedent(
    """
    from pathlib import Path

    import kata

    def run(out_dir=None):
        model = kata.lesson(3).build_model()
        kata.lesson(9).save_model(model, Path(out_dir) / "model.keras")
        return 0.88
    """
)

SAVE_WITH_ENDSWITH = textwrap.dedent(
    """
    def save_model(model, path):
        if not path.endswith((".keras", ".h5")):
            raise ValueError("use .keras")
    """
)


@pytest.fixture
def capstone(pytester: pytest.Pytester):
    """A lesson 10 suite and a tree whose lesson 10 runs its lessons 03 and 09; returns a runner."""
    pytester.makepyfile(**{"10/test_pipeline": CAPSTONE_SUITE})
    pytester.makepyfile(**{"tree/03/build": "def build_model():\n    return 'a model'\n"})
    pytester.makepyfile(**{"tree/10/pipeline": CAPSTONE})
    pytester.makeini("[pytest]\naddopts = --import-mode=importlib -p kata.plugin\n")

    def run(save_module: str, *args):
        pytester.makepyfile(**{"tree/09/save": save_module})
        return pytester.runpytest_inprocess("10", f"--impl={pytester.path / 'tree'}", *args)

    return run


def test_an_earlier_lessons_error_is_one_short_message_naming_its_file(capstone, pytester):
    result = capstone(SAVE_WITH_ENDSWITH, f"--kata-report={pytester.path / 'r.json'}")
    out = result.stdout.str()
    result.stdout.fnmatch_lines(
        [
            "run() stopped in tree/09/save.py: AttributeError: 'PosixPath' object has no attribute 'endswith'",
            "    tree/10/pipeline.py:7 in run(): kata.lesson(9).save_model(model, Path(out_dir) / \"model.keras\")",
            "    tree/09/save.py:2 in save_model(): if not path.endswith((\".keras\", \".h5\")):",
            "  What it means: A pathlib.Path is not a str*",
        ]
    )
    # Said once; the other tests stopped by the same error point back to it in one line.
    assert out.count("What it means") == 1
    assert out.count("(as in test_one above)") == 2
    result.stdout.fnmatch_lines(["    next: edit tree/09/save.py (lesson 09 stopped this one) · check it with pytest lessons/09*"])
    assert "next: edit tree/10/pipeline.py" not in out
    failures = out.split("= FAILURES =")[1]
    for internal in ("pluggy", "_pytest", "def test_", "Traceback"):
        assert internal not in failures, f"{internal!r} in the output:\n{out}"
    assert len(out.splitlines()) <= 35, out
    rows = json.loads((pytester.path / "r.json").read_text())["tests"]
    assert {row["where"] for row in rows} == {"tree/09/save.py"}
    assert all(row["outcome"] == "error" and row["earned"] == 0 for row in rows)


def test_an_earlier_lesson_not_written_yet_is_named_as_such(capstone):
    result = capstone(
        "def save_model(model, path):\n    raise NotImplementedError('lesson 09: save_model() is not written yet')\n"
    )
    result.stdout.fnmatch_lines(
        [
            "run() stopped in tree/09/save.py: lesson 09: save_model() is not written yet. Lesson 09 is not "
            "finished yet; this lesson runs it. Finish it first: pytest lessons/09*",
            "    next: edit tree/09/save.py (lesson 09 stopped this one)*",
        ]
    )
    assert "not started yet — see docs/lessons/10" not in result.stdout.str()


def test_the_capstone_itself_not_written_is_not_started(capstone, pytester):
    pytester.makepyfile(**{"tree/10/pipeline": "def run(out_dir=None):\n    raise NotImplementedError('lesson 10')\n"})
    result = capstone(SAVE_WITH_ENDSWITH)
    result.stdout.fnmatch_lines(["*not started yet — see docs/lessons/10-pipeline.md*", "    next: edit tree/10/pipeline.py*"])


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "def build_model():\n    return keras.Sequential()\n",
            [
                "build_model() in tree/03/build.py raised NameError: name 'keras' is not defined",
                "    tree/03/build.py:2 in build_model(): return keras.Sequential()",
                "  What it means: Python doesn't know that name here*",
            ],
        ),
        (
            "import numpy as np\n\ndef build_model():\n    return np.zeros(3).reshape(2, 2)\n",
            [
                "build_model() in tree/03/build.py raised ValueError: cannot reshape array of size 3 into shape (2,2)",
                "    tree/03/build.py:4 in build_model(): return np.zeros(3).reshape(2, 2)",
                "  What it means: The value has the right type but not an acceptable content*",
            ],
        ),
        (
            "def compile_it(model):\n    model.append(1)\n\ndef build_model():\n    return compile_it(None)\n",
            [
                "compile_it() in tree/03/build.py raised AttributeError: 'NoneType' object has no attribute 'append'",
                "    tree/03/build.py:5 in build_model(): return compile_it(None)",
                "    tree/03/build.py:2 in compile_it(): model.append(1)",
                "  What it means: Something was None where a value was expected*",
            ],
        ),
        (
            "class Model:\n    pass\n\ndef build_model():\n    return Model().predict_classes([0])\n",
            [
                "build_model() in tree/03/build.py raised AttributeError: 'Model' object has no attribute 'predict_classes'",
                "    tree/03/build.py:5 in build_model(): return Model().predict_classes([0])",
                "  What it means: That method was in Keras 2 and is gone from Keras 3*",
            ],
        ),
        (
            "def build_model():\n    raise Exception('URL fetch failure on https://storage.googleapis.com/"
            "tensorflow/tf-keras-datasets/mnist.npz: None -- [Errno -2] Name or service not known')\n",
            [
                "build_model() in tree/03/build.py raised Exception: URL fetch failure on*mnist.npz*",
                "  What it means: Keras tried to download a data set from the internet and couldn't*",
            ],
        ),
    ],
    ids=["NameError", "ValueError-from-numpy", "AttributeError-on-None", "AttributeError-Keras-2-method",
         "download-of-another-data-set"],
)
def test_a_raw_exception_from_the_lesson_says_where_and_what_it_means(pytester, body, expected):
    pytester.makepyfile(
        **{
            "03/test_build": "import pytest\n\n@pytest.mark.points(10)\ndef test_it(impl):\n    impl.build_model()\n",
            "tree/03/build": body,
        }
    )
    pytester.makeini("[pytest]\naddopts = --import-mode=importlib -p kata.plugin\n")
    result = pytester.runpytest_inprocess("03", f"--impl={pytester.path / 'tree'}")
    result.stdout.fnmatch_lines([*expected, "    (test: 03/test_build.py:*)"])
    result.stdout.fnmatch_lines(["    next: edit tree/03/build.py · guide docs/lessons/03-build.md*"])
    out = result.stdout.str()
    failures = out.split("= FAILURES =")[1]
    assert "def test_it" not in failures and "pluggy" not in failures and "Fix it in lesson" not in out
    assert len(out.splitlines()) <= 25, out


def test_an_error_in_the_suites_own_code_keeps_a_short_traceback_without_internals(pytester):
    pytester.makepyfile(
        **{
            "03/test_build": textwrap.dedent(
                """
                import pytest

                def helper():
                    raise RuntimeError("the suite itself broke")

                @pytest.mark.points(10)
                def test_it(impl):
                    helper()
                """
            ),
            "tree/03/build": "def build_model():\n    return None\n",
        }
    )
    pytester.makeini("[pytest]\naddopts = --import-mode=importlib -p kata.plugin\n")
    result = pytester.runpytest_inprocess("03", f"--impl={pytester.path / 'tree'}")
    result.stdout.fnmatch_lines(["*in helper*", "*RuntimeError: the suite itself broke*"])
    failures = result.stdout.str().split("= FAILURES =")[1]
    assert "pluggy" not in failures and "_pytest" not in failures and "What it means" not in failures


def test_tensorflow_log_lines_and_progress_bars_are_out_of_captured_output(pytester):
    pytester.makepyfile(
        **{
            "03/test_build": textwrap.dedent(
                r'''
                import os
                import sys

                import pytest

                NOISE = (
                    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
                    "I0000 00:00:1795706402.403967    6754 port.cc:153] oneDNN custom operations are on. "
                    "You may see slightly different numerical results. To turn them off, set the "
                    "environment variable `TF_ENABLE_ONEDNN_OPTS=0`.\n"
                    "I0000 00:00:1795706436.655807    8311 cpu_feature_guard.cc:227] This TensorFlow "
                    "binary is optimized to use available CPU instructions.\n"
                    "To enable the following instructions: AVX2 AVX512F FMA, in other operations, "
                    "rebuild TensorFlow with the appropriate compiler flags.\n"
                    "WARNING:absl:You are saving your model as an HDF5 file via `model.save()`.\n"
                )

                @pytest.mark.points(10)
                def test_it(impl):
                    os.write(2, NOISE.encode())  # as TensorFlow's C++ code writes it: to file descriptor 2
                    print("Epoch 1/2")
                    print("\x1b[1m 1/94\x1b[0m \x1b[37m━━━━━━━━━━━━━━━━━━━━\x1b[0m \x1b[1m1:25\x1b[0m 919ms/step")
                    print("19/19 - 0s - 8ms/step - accuracy: 0.8050 - loss: 0.5425")
                    print("my own print: 42")
                    print("a warning of my own", file=sys.stderr)
                    assert False, "the model is wrong"
                '''
            ),
            "tree/03/build": "def build_model():\n    return None\n",
        }
    )
    pytester.makeini("[pytest]\naddopts = --import-mode=importlib -p kata.plugin\n")
    result = pytester.runpytest_inprocess("03", f"--impl={pytester.path / 'tree'}")
    out = result.stdout.str()
    result.stdout.fnmatch_lines(["*Captured stdout call*", "my own print: 42", "*Captured stderr call*", "a warning of my own"])
    for noise in ("oneDNN", "absl", "HDF5", "cpu_feature_guard", "To enable the following", "━", "Epoch 1/2", "ms/step"):
        assert noise not in out, f"{noise!r} in the output:\n{out}"


def test_lesson_10_with_a_broken_lesson_09_fits_on_one_screen(pytester, tmp_path):
    """The real capstone suite, TensorFlow and all, in its own process: what the student sees."""
    import shutil

    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "solutions", tree, ignore=shutil.ignore_patterns("__pycache__"))
    save = tree / "09" / "save.py"
    text = save.read_text()
    save.write_text(text.replace("suffix = Path(path).suffix", "suffix = path.suffix"))
    assert save.read_text() != text
    result = pytester.runpytest_subprocess(
        str(ROOT / "lessons" / "10"), f"--rootdir={ROOT}", "-c", str(ROOT / "pyproject.toml"),
        f"--impl={tree}", "-p", "no:cacheprovider", "--deselect",
        "lessons/10/test_pipeline.py::test_reaches_87_percent_test_accuracy_on_the_full_data",
    )
    out = result.stdout.str() + result.stderr.str()
    result.stdout.fnmatch_lines(
        [
            f"run() stopped in {save}: AttributeError: 'str' object has no attribute 'suffix'",
            f"    {save}:* in save_model(): suffix = path.suffix",
        ]
    )
    result.stdout.fnmatch_lines([f"    next: edit {save} (lesson 09 stopped this one)*"])
    assert out.count("What it means") == 1
    for noise in ("oneDNN", "absl", "Traceback", "━"):
        assert noise not in out, f"{noise!r} in the output:\n{out}"
    failures = out.split("= FAILURES =")[1]
    assert "pluggy" not in failures and "_pytest" not in failures, out
    assert len(out.splitlines()) <= 50, out


def test_an_earlier_lesson_refusing_its_arguments_on_purpose_points_at_the_call(capstone, pytester):
    pytester.makepyfile(
        **{"tree/10/pipeline": CAPSTONE.replace('Path(out_dir) / "model.keras"', "str(out_dir)")}
    )
    save = "def save_model(model, path):\n    if not str(path).endswith('.keras'):\n        raise ValueError('the file name must end in .keras')\n"
    result = capstone(save)
    result.stdout.fnmatch_lines(
        [
            "run() in tree/10/pipeline.py gave save_model() of tree/09/save.py something it refuses: "
            "ValueError: the file name must end in .keras",
            "    tree/10/pipeline.py:7 in run(): kata.lesson(9).save_model(model, str(out_dir))",
            "  What it means: save_model() checks what it gets and raised this on purpose*",
            "    next: edit tree/10/pipeline.py · guide docs/lessons/10-pipeline.md*",
        ]
    )
