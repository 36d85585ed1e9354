"""Lessons in Jupyter: kata.check/hint/solution, the lesson notebooks, notebook to lesson file.

Cheap tests first (no kernel): every generated notebook's structure, the
conversion of a notebook to a lesson file, the records and the help.  Then
``kata.check`` in this process against the file-based run of the same code.
Last, real notebooks in a real Jupyter kernel (nbclient).  One kernel runs
all of them (each kernel pays a TensorFlow import): every lesson's notebook
with its stub gets 0 points and with the reference code full points (the
capstone trains on the full data there, as it does in files), and a typical
mistake of lesson 03 is named as the file-based run names it.
"""

from __future__ import annotations

import ast
import inspect
import json
import shutil
import zipfile

import nbformat
import pytest

import kata
from kata.catalogue import find as find_mutant
from kata.checkout import Checkout
from kata.impl import LESSONS, ROOT, get_lesson
from kata.notebook import build, convert, help, record, submission

KERNEL_LESSONS = sorted(LESSONS)
HERE = Checkout(ROOT)


@pytest.fixture
def mutant(tmp_path):
    """Lesson 03's reference with a typical mistake (Softmax on the logits layer), as a file."""
    return find_mutant(HERE, 3, "softmax_output").write(tmp_path / "softmax_output")


def stub_path(number):
    lesson = get_lesson(number)
    return ROOT / "kata" / "stubs" / lesson.folder / lesson.filename


def solution_path(number):
    lesson = get_lesson(number)
    return ROOT / "solutions" / lesson.folder / lesson.filename


def functions_in(source):
    return [node.name for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)]


def tagged(notebook, tag):
    return [cell for cell in notebook.cells if tag in cell.metadata.get("tags", [])]


def code_lines(source):
    """The lines of source that are code: no blank line, comment or inserted ``pass``."""
    return [
        line for line in source.splitlines()
        if line.strip() and not line.lstrip().startswith(("#", "pass  # kata:"))
    ]


def same_words(text):
    return " ".join(text.split())


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory):
    """Every lesson notebook as ``kata notebooks`` writes it (English)."""
    out = tmp_path_factory.mktemp("notebooks")
    assert kata_cli(["notebooks", str(out), "--repo", "https://example.org/kata.git"]) == 0
    return out


@pytest.fixture(autouse=True)
def _records_aside(tmp_path_factory, monkeypatch):
    """kata.check records its scores in a file of the test's own, never the student's."""
    monkeypatch.setenv(record.RESULTS_ENV, str(tmp_path_factory.mktemp("records") / "results.json"))


def kata_cli(argv):
    from kata.cli import main

    return main(argv)


# --- the generated notebooks (all eleven, no kernel) ------------------------------------


@pytest.mark.parametrize("number", sorted(LESSONS))
def test_each_notebook_is_the_guide_the_stub_and_a_check(notebooks, number):
    lesson = get_lesson(number)
    path = notebooks / f"{lesson.folder}-{lesson.module}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    first, last = notebook.cells[0], notebook.cells[-1]
    assert first.cell_type == "code" and '"google.colab" in sys.modules' in first.source
    assert "https://example.org/kata.git" in first.source
    assert last.cell_type == "code" and last.source == f"kata.check({number})"
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    guide = (ROOT / lesson.guide).read_text(encoding="utf-8")
    for line in guide.splitlines():
        if line.startswith("#"):
            assert line in markdown, f"{path.name} lacks the guide's heading {line!r}"
    (code,) = tagged(notebook, "kata-lesson")
    stub = stub_path(number).read_text(encoding="utf-8")
    assert functions_in(code.source) == functions_in(stub)
    namespace = {}
    exec(compile(code.source, path.name, "exec"), namespace)  # noqa: S102
    first = namespace[functions_in(stub)[0]]
    required = [p for p in inspect.signature(first).parameters.values() if p.default is p.empty]
    with pytest.raises(NotImplementedError):
        first(*[None] * len(required))
    earlier = tagged(notebook, "kata-earlier")
    if number == 1:
        assert earlier == []
    else:
        assert f"kata.use_earlier({number})" in earlier[0].source


def test_the_setup_cell_does_nothing_outside_colab(notebooks):
    notebook = nbformat.read(notebooks / "03-build.ipynb", as_version=4)
    namespace = {}
    exec(notebook.cells[0].source, namespace)  # noqa: S102
    assert "KATA" not in namespace and namespace["kata"] is kata


def test_chinese_notebooks_hold_the_chinese_guides(tmp_path):
    assert kata_cli(["notebooks", str(tmp_path), "--lang", "zh-CN"]) == 0
    notebook = nbformat.read(tmp_path / "03-build.ipynb", as_version=4)
    guide = (ROOT / "docs" / "zh-CN" / "lessons" / "03-build.md").read_text(encoding="utf-8")
    assert guide.splitlines()[0] in notebook.cells[1].source
    assert notebook.cells[-1].source == "kata.check(3)"


def test_pictures_are_attached_and_links_open_notebooks(notebooks):
    notebook = nbformat.read(notebooks / "05-fit.ipynb", as_version=4)
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert "](attachment:training_curves.png)" in markdown
    assert "](04-compile.ipynb)" in markdown and "04-compile.md" not in markdown
    attached = [c for c in notebook.cells if "attachments" in c]
    png = attached[0]["attachments"]["training_curves.png"]["image/png"]
    assert png.startswith("iVBORw0KGgo")  # base64 of the PNG signature


def test_existing_notebooks_are_kept_or_backed_up(tmp_path):
    assert kata_cli(["notebooks", str(tmp_path)]) == 0
    mine = tmp_path / "03-build.ipynb"
    mine.write_text(mine.read_text().replace("raise NotImplementedError", "return 42 #"))
    work = mine.read_text()
    assert kata_cli(["notebooks", str(tmp_path)]) == 0
    assert mine.read_text() == work
    assert kata_cli(["notebooks", str(tmp_path), "--force"]) == 0
    (backup,) = tmp_path.glob("03-build.ipynb.bak-*")
    assert backup.read_text() == work and mine.read_text() != work


def test_an_unknown_language_is_refused():
    with pytest.raises(SystemExit):
        kata_cli(["notebooks", "x", "--lang", "fr"])


# --- a notebook as the equivalent lesson file -------------------------------------------


def notebook_with(*sources, tags=None):
    cells = [nbformat.v4.new_markdown_cell("# Lesson")]
    for source in sources:
        cells.append(nbformat.v4.new_code_cell(source))
    if tags:
        for cell, tag in zip(cells[1:], tags, strict=False):
            if tag:
                cell.metadata["tags"] = [tag]
    return nbformat.v4.new_notebook(cells=cells)


def test_magics_and_shell_lines_are_dropped_and_listed():
    notebook = notebook_with(
        "%matplotlib inline\nimport keras\n!pip install rich",
        "files = !ls\nif True:\n    !echo hi\nkeras.layers.Dense?",
        "%%bash\necho all of it",
        "%%time\nx = 1",
        "kata.check(3)",
    )
    converted = convert.notebook_source(notebook)
    ast.parse(converted.source)  # still Python: indented blocks got a `pass`
    assert code_lines(converted.source) == ["import keras", "if True:", "x = 1"]
    assert [d.text.strip() for d in converted.dropped] == [
        "%matplotlib inline", "!pip install rich", "files = !ls", "!echo hi",
        "keras.layers.Dense?", "%%bash", "echo all of it", "%%time", "kata.check(3)",
    ]
    feedback = converted.feedback()
    assert "cell 2: `!pip install rich`" in feedback and "cell 4: `echo all of it`" in feedback


def test_kata_cells_are_left_out(notebooks):
    converted = convert.notebook_source(notebooks / "05-fit.ipynb")
    code = "\n".join(code_lines(converted.source))
    assert "use_earlier" not in code and "kata.check" not in code and "google.colab" not in code
    assert functions_in(converted.source) == ["train"]
    assert converted.dropped == []


def test_a_broken_file_is_named(tmp_path):
    path = tmp_path / "03-build.ipynb"
    path.write_text("{not json")
    with pytest.raises(ValueError, match="03-build.ipynb is not a readable notebook"):
        convert.notebook_source(path)


def test_a_zipped_notebook_submission_grades_as_the_same_files(notebooks, tmp_path, run_suite,
                                                               tree_with, mutant):
    notebook = nbformat.read(notebooks / "03-build.ipynb", as_version=4)
    (cell,) = tagged(notebook, "kata-lesson")
    cell.source = "%load_ext autoreload\n" + mutant.read_text()
    archive = tmp_path / "ada.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("ada/notebooks/03-build.ipynb", nbformat.writes(notebook))
        zipped.writestr("../../01-load.ipynb", "{not a notebook")
        zipped.writestr("notes/scratch.ipynb", "{}")
    converted = submission.notebook_tree(archive, tmp_path / "tree")
    assert converted.lessons == [3]
    assert "`%load_ext autoreload`" in converted.feedback[3]
    assert "not a readable notebook" in converted.problems[1]
    assert not (tmp_path.parent / "01-load.ipynb").exists()
    file = converted.tree / "03" / "build.py"
    from_notebook = run_suite(3, tree_with(3, file))
    from_file = run_suite(3, tree_with(3, mutant))
    assert [(r.name, r.outcome, r.message) for r in from_notebook.results] == [
        (r.name, r.outcome, r.message) for r in from_file.results
    ]
    assert from_file.lessons()[0].line == "lesson 03 · build: 8/10 points"


# --- records, hints, the solution ---------------------------------------------------------


def fake_result(number, points):
    from kata.notebook.result import CheckResult

    return CheckResult(number, points, 10.0, [], f"lesson {number:02d} · x: {points:g}/10 points")


def test_solved_lessons_are_those_whose_last_check_had_full_points(tmp_path, monkeypatch):
    monkeypatch.delenv(record.RESULTS_ENV)
    assert record.solved(Checkout(tmp_path)) == []
    record.save(fake_result(1, 10), Checkout(tmp_path))
    record.save(fake_result(2, 10), Checkout(tmp_path))
    record.save(fake_result(3, 4), Checkout(tmp_path))
    record.save(fake_result(2, 6), Checkout(tmp_path))  # a later check with fewer points
    assert record.solved(Checkout(tmp_path)) == [1]
    assert record.load(Checkout(tmp_path))[3].line == "lesson 03 · x: 4/10 points"
    assert (tmp_path / ".kata" / "notebook-results.json").is_file()


def test_a_damaged_record_counts_as_none(tmp_path, monkeypatch):
    monkeypatch.delenv(record.RESULTS_ENV)
    (tmp_path / ".kata").mkdir()
    (tmp_path / ".kata" / "notebook-results.json").write_text("{")
    assert record.solved(Checkout(tmp_path)) == []


def test_hints_come_one_at_a_time_and_are_remembered(tmp_path):
    shutil.copytree(ROOT / "lessons" / "03", tmp_path / "lessons" / "03")
    hints = help.parse_hints((tmp_path / "lessons" / "03" / "hints.md").read_text())
    first = help.hint(3, checkout=Checkout(tmp_path))
    assert hints[0] in first.markdown and f"hint 1 of {len(hints)}" in first.markdown
    second = help.hint(3, checkout=Checkout(tmp_path))
    assert hints[1] in second.markdown and hints[0] not in second.markdown
    memory = json.loads((tmp_path / ".kata" / "hints.json").read_text())
    assert memory == {"03": 2}


def test_no_solution_in_a_release_copy(tmp_path):
    shown = help.solution(3, {}, checkout=Checkout(tmp_path))
    assert "no solutions/ folder" in shown.markdown


def test_the_solution_waits_for_full_points():
    stub = {}
    exec(stub_path(3).read_text(), stub)  # noqa: S102
    refused = help.solution(3, stub, checkout=HERE)
    assert "lesson 03 · build: 0/10 points" in refused.markdown
    assert "def build_model" not in refused.markdown
    forced = help.solution(3, stub, checkout=HERE, force=True)
    assert solution_path(3).read_text() in forced.markdown and "force=True" in forced.markdown


# --- kata.check in this process, against the file-based run -------------------------------


def test_check_grades_the_callers_definitions_like_the_file(run_suite, tree_with, mutant):
    namespace = {}
    exec(compile(mutant.read_text(), "cell", "exec"), namespace)  # noqa: S102
    result = kata.check(3, namespace)
    from_file = run_suite(3, tree_with(3, mutant))
    assert [(t.name, t.points, t.outcome, t.message) for t in result.tests] == [
        (r.name, r.points, r.outcome, r.message) for r in from_file.results
    ]
    assert (result.points, result.max_points) == (8.0, 10.0)
    assert record.load(HERE)[3].line == result.line  # for `kata status`
    assert result.line == from_file.lessons()[0].line
    (failed,) = [t for t in result.tests if t.outcome == "failed"]
    assert failed.message in str(result)
    assert "goes through softmax after the last Dense layer" in result._repr_html_()


def test_each_check_grades_the_notebooks_latest_answers(run_suite, tree_with, tmp_path):
    """A notebook checked, changed and checked again: each check is graded as its own file would be.

    The suites keep what a lesson function returned, by the lesson module's name,
    for the tests of one run; a second check in the same kernel once got the first
    one's answers.
    """
    names = ("images_together_labels_together", "labels_as_float")
    results = []
    for name in names:  # checked one after the other, as a student fixes one mistake and makes another
        namespace = {"__name__": "__main__"}
        exec(compile(find_mutant(HERE, 1, name).source(), f"cell-{name}", "exec"), namespace)  # noqa: S102
        results.append(kata.check(1, namespace))
    for name, result in zip(names, results, strict=True):
        from_file = run_suite(1, tree_with(1, find_mutant(HERE, 1, name).write(tmp_path / name)))
        assert [(t.name, t.outcome) for t in result.tests] == [(r.name, r.outcome) for r in from_file.results], name
    assert results[0].points != results[1].points, "the two mistakes fail different tests"


def test_check_without_a_namespace_uses_the_callers_globals():
    def build_model():
        raise NotImplementedError

    globals()["build_model"] = build_model
    try:
        result = kata.check(3)
    finally:
        del globals()["build_model"]
    assert result.points == 0 and {t.outcome for t in result.tests} == {"not started"}


def test_a_function_the_notebook_never_defined_is_named():
    result = kata.check(3, {"__name__": "__main__"})
    assert result.points == 0
    assert "does not define build_model() of lesson 03" in str(result)
    assert "does not define build_model()" in result._repr_html_()


def test_check_leaves_the_kernels_garbage_collector_as_it_was():
    import gc

    assert gc.get_freeze_count() == 0, "something in this process froze objects before the test"
    result = kata.check(3, {"__name__": "__main__"})
    assert result.max_points == 10
    assert gc.get_freeze_count() == 0, "kata.check left the kernel's objects frozen (never collected)"


# --- real notebooks in a real Jupyter kernel ----------------------------------------------


@pytest.fixture(scope="module")
def kernel_records(tmp_path_factory):
    """Where kata.check in the test kernel records its scores."""
    return tmp_path_factory.mktemp("kernel-records") / "results.json"


@pytest.fixture(scope="module")
def kernel(tmp_path_factory, kernel_records, jupyter_kernel):
    """``execute(notebook, folder)``: run every cell of a notebook in one shared kernel."""
    from nbclient import NotebookClient

    manager = jupyter_kernel({"KATA_NOTEBOOK_RESULTS": str(kernel_records)})
    start = nbformat.v4.new_notebook(cells=[])
    client = NotebookClient(start, km=manager, timeout=600, allow_errors=True,
                            resources={"metadata": {"path": str(tmp_path_factory.mktemp("kernel-cwd"))}})
    with client.setup_kernel():

        def execute(notebook, folder):
            # The notebook's folder is the kernel's working folder, as in Jupyter.
            chdir = nbformat.v4.new_code_cell(f"import os; os.chdir({str(folder)!r})")
            client.nb = nbformat.v4.new_notebook(cells=[chdir])
            client.execute_cell(chdir, 0)
            client.nb = notebook
            for index, cell in enumerate(notebook.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, index)
            return notebook

        yield execute


def check_output(notebook):
    """The text the last cell (``kata.check(n)``) showed, and its HTML."""
    outputs = notebook.cells[-1].outputs
    results = [o for o in outputs if o.output_type == "execute_result"]
    everything = [(c.source[:40], c.get("outputs")) for c in notebook.cells if c.cell_type == "code"]
    assert len(results) == 1, f"kata.check showed no result; the cells: {everything}"
    (output,) = results
    return output["data"]["text/plain"], output["data"]["text/html"]


def filled(folder, numbers, code_of):
    """Notebooks of ``numbers`` in ``folder`` whose lesson cell holds ``code_of(number)``."""
    books = {}
    for number in numbers:
        path = folder / convert.notebook_name(number)
        notebook = nbformat.read(path, as_version=4)
        tagged(notebook, "kata-lesson")[0].source = code_of(number)
        nbformat.write(notebook, str(path))
        books[number] = notebook
    return books


def test_notebooks_in_a_kernel_stub_gets_0_reference_full_points(kernel, kernel_records, tmp_path,
                                                                 monkeypatch):
    stubs, references = tmp_path / "stubs", tmp_path / "references"
    for folder in (stubs, references):
        build.write_notebooks(folder, HERE, repo="https://example.org/kata.git")
    reference_books = filled(references, KERNEL_LESSONS, lambda n: solution_path(n).read_text())
    for number in KERNEL_LESSONS:
        notebook = kernel(nbformat.read(stubs / convert.notebook_name(number), as_version=4), stubs)
        text, html = check_output(notebook)
        assert text.startswith(f"lesson {number:02d} · {get_lesson(number).topic}: 0/10 points"), text
        assert "not started yet" in text and "not started" in html
    for number in KERNEL_LESSONS:
        notebook = kernel(reference_books[number], references)
        errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs
                  if o.output_type == "error"]
        assert errors == [], f"lesson {number:02d}: {errors}"
        text, html = check_output(notebook)
        line = f"lesson {number:02d} · {get_lesson(number).topic}: 10/10 points"
        assert text.startswith(line), text
        assert line in html
    # kata.check recorded the solved lessons for `kata status`.
    monkeypatch.setenv(record.RESULTS_ENV, str(kernel_records))
    assert set(KERNEL_LESSONS) <= set(record.solved(HERE))


def test_a_mistake_in_a_kernel_is_named_as_the_file_based_run_names_it(
    kernel, tmp_path, run_suite, tree_with, mutant
):
    build.write_notebooks(tmp_path, HERE, repo="https://example.org/kata.git")
    filled(tmp_path, [1, 2], lambda n: solution_path(n).read_text())
    (notebook,) = filled(tmp_path, [3], lambda n: mutant.read_text()).values()
    text, html = check_output(kernel(notebook, tmp_path))
    from_file = run_suite(3, tree_with(3, mutant))
    assert text.startswith(from_file.lessons()[0].line)
    failures = [r for r in from_file.results if r.outcome != "passed"]
    assert failures
    for failure in failures:
        assert failure.name in text and same_words(failure.message) in same_words(text)


def test_a_folder_submission_becomes_a_lesson_tree(notebooks, tmp_path):
    handed_in = tmp_path / "bo" / "work"
    handed_in.mkdir(parents=True)
    for name in ("01-load.ipynb", "03-build.ipynb"):
        shutil.copy(notebooks / name, handed_in / name)
    (handed_in / "extra.ipynb").write_text("{}")
    converted = submission.notebook_tree(tmp_path / "bo", tmp_path / "tree")
    assert converted.lessons == [1, 3] and converted.problems == {} and converted.feedback == {}
    assert sorted(p.relative_to(converted.tree).as_posix() for p in converted.tree.rglob("*.py")) == [
        "01/load.py", "03/build.py",
    ]
    assert functions_in((converted.tree / "01" / "load.py").read_text()) == functions_in(
        stub_path(1).read_text()
    )
