"""``kata notebooks OUT/``: one Jupyter notebook per lesson, made from its guide and stub.

Each notebook is generated when the command runs, from the lesson's guide
(``docs/lessons/NN-<topic>.md``, or ``docs/zh-CN/lessons/`` with
``--lang zh-CN``) and its pristine stub (``kata/stubs/NN/``), so notebooks
and files never drift apart.  The cells, in order:

1. ``kata-setup``: in Google Colab, fetch and install the kata; elsewhere nothing;
2. the guide, one Markdown cell per ``##`` section (pictures attached, links
   to other guides pointing at their notebooks);
3. ``kata-earlier``: what the earlier lessons did, with the student's own
   functions from their notebooks (``kata.use_earlier(n)``), e.g. the data loaded;
4. ``kata-lesson``: the stub, to fill in;
5. ``kata-check``: ``kata.check(n)``.

A notebook that already exists is kept (it holds the student's work);
``--force`` writes it again after saving a backup beside it.
"""

from __future__ import annotations

import base64
import datetime as _dt
import re
import shutil
import subprocess
from pathlib import Path

from kata.checkout import Checkout
from kata.impl import LESSONS, get_lesson
from kata.notebook.convert import notebook_name
from kata.notebook.earlier import earlier_lessons

GUIDES = {"en": Path("lessons"), "zh-CN": Path("zh-CN") / "lessons"}
"""The guides' folders under the checkout's ``docs/``, by language."""
PLACEHOLDER_REPO = "https://github.com/YOUR-NAME/fashion-mnist-kata"

TEXT = {
    "en": {
        "earlier": "## Your earlier lessons\nThe next cell defines your functions of the earlier "
        "lessons here, from their notebooks beside this one (or from `lessons/NN/` when a notebook "
        "is missing), and does what those lessons did: {what}.",
        "lesson": "## Your code\nFill in the cell below, run it, then run the check at the end. "
        "Add cells to try your code as you go.",
        "check": "## Check your work\n`kata.check({n})` runs the same graded tests as "
        "`pytest lessons/{folder}` on the functions this notebook defines, and shows the points. "
        "Stuck? `kata.hint({n})` gives the next hint; with full points `kata.solution({n})` shows "
        "the reference.",
    },
    "zh-CN": {
        "earlier": "## 之前的课程\n下一个单元从本笔记本旁边的笔记本（缺少笔记本时从 `lessons/NN/`）"
        "定义你在之前各课写的函数，并做那些课做过的事：{what}。",
        "lesson": "## 你的代码\n补全下面的单元，运行它，然后运行最后的检查。可以随时添加单元来试试你的代码。",
        "check": "## 检查你的成果\n`kata.check({n})` 对本笔记本定义的函数运行与 "
        "`pytest lessons/{folder}` 相同的评分测试，并显示得分。卡住了？`kata.hint({n})` "
        "给出下一条提示；得到满分后 `kata.solution({n})` 显示参考答案。",
    },
}
WHAT = {
    "en": {"load": "load the data", "normalize": "normalize it", "build": "build a model",
           "compile": "compile it", "train": "train it briefly (1 epoch)", "define": "define them"},
    "zh-CN": {"load": "加载数据", "normalize": "归一化", "build": "构建模型", "compile": "编译模型",
              "train": "简短训练（1 个周期）", "define": "定义这些函数"},
}

SETUP = '''\
# In Google Colab this cell fetches the kata and installs it; elsewhere it does nothing.
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow: errors only, no start-up notes

if "google.colab" in sys.modules:
    import pathlib
    import subprocess

    KATA = pathlib.Path("/content/fashion-mnist-kata")
    if not KATA.exists():
        subprocess.run(["git", "clone", "--depth=1", "{repo}", str(KATA)], check=True)
    # Colab has TensorFlow already: install the kata without its own TensorFlow.
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "-e", str(KATA)], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "pytest>=8", "pytest-benchmark", "rich", "watchfiles", "cloudpickle"], check=True)
    sys.path.insert(0, str(KATA))

import kata'''


def earlier_code(number: int) -> tuple[str, list[str]]:
    """The ``kata-earlier`` cell of lesson ``number``, and the steps it takes (keys of WHAT)."""
    lines = [f"print(kata.use_earlier({number}))"]
    steps = ["define"]
    if number == 10:
        return "\n".join(lines), steps
    lines.append("(train_images, train_labels), (test_images, test_labels) = load_data()")
    steps.append("load")
    if number >= 3:
        lines.append("train_images, test_images = normalize(train_images), normalize(test_images)")
        steps.append("normalize")
    if number == 4:
        lines.append("model = build_model()")
        steps.append("build")
    if 5 <= number <= 9:
        lines.append("model = compile_model(build_model())")
        steps += ["build", "compile"]
    if 6 <= number <= 9:
        lines.append("train(model, train_images, train_labels, epochs=1)")
        steps.append("train")
    return "\n".join(lines), steps


def stub_code(number: int, checkout: Checkout) -> str:
    """Lesson ``number``'s pristine stub without its module docstring (the guide says it all)."""
    text = checkout.stub_file(number).read_text(encoding="utf-8")
    match = re.match(r'\s*(""".*?"""|\'\'\'.*?\'\'\')\s*\n', text, flags=re.DOTALL)
    return (text[match.end():] if match else text).strip("\n")


def guide_cells(path: Path):
    """The guide as Markdown cells, one per ``##`` section, with its pictures attached."""
    import nbformat

    text = path.read_text(encoding="utf-8")
    # Links to other guides open their notebooks.
    text = re.sub(r"\]\((\d\d-[\w-]+)\.md\)", r"](\1.ipynb)", text)
    sections, current, fenced = [], [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if line.startswith("## ") and not fenced and current:
            sections.append(current)
            current = []
        current.append(line)
    sections.append(current)
    cells = []
    for section in sections:
        source, attachments = _attach_images("\n".join(section).strip("\n"), path.parent)
        cell = nbformat.v4.new_markdown_cell(source)
        if attachments:
            cell["attachments"] = attachments
        cells.append(cell)
    return cells


def _attach_images(source: str, folder: Path) -> tuple[str, dict]:
    attachments = {}

    def attach(match: re.Match) -> str:
        image = (folder / match.group(2)).resolve()
        if not image.is_file() or image.suffix.lower() != ".png":
            return match.group(0)
        attachments[image.name] = {"image/png": base64.b64encode(image.read_bytes()).decode()}
        return f"![{match.group(1)}](attachment:{image.name})"

    return re.sub(r"!\[([^\]]*)\]\(([^)\s]+)\)", attach, source), attachments


def lesson_notebook(number: int, checkout: Checkout, lang: str = "en",
                    repo: str = PLACEHOLDER_REPO):
    """Lesson ``number``'s notebook, made now from its guide and stub.

    Args:
        number: the lesson.
        checkout: the kata whose guides and stubs to use.
        lang: ``"en"`` or ``"zh-CN"``: which guide the Markdown cells hold.
        repo: the git URL the Colab set-up cell clones the kata from.

    Returns:
        An ``nbformat`` notebook (version 4).

    Example::

        import nbformat
        nbformat.write(lesson_notebook(3, Checkout.find()), "03-build.ipynb")
    """
    import nbformat

    if lang not in GUIDES:
        raise ValueError(f"--lang {lang}: the guides come in {', '.join(GUIDES)}.")
    lesson = get_lesson(number)
    text = TEXT[lang]
    tagged = {"tags": []}

    def code(source: str, tag: str):
        return nbformat.v4.new_code_cell(source, metadata={**tagged, "tags": [tag]})

    cells = [code(SETUP.replace("{repo}", repo), "kata-setup")]
    cells += guide_cells(checkout.docs / GUIDES[lang] / Path(lesson.guide).name)
    if earlier_lessons(number):
        source, steps = earlier_code(number)
        what = ", ".join(WHAT[lang][step] for step in steps)
        cells.append(nbformat.v4.new_markdown_cell(text["earlier"].format(what=what)))
        cells.append(code(source, "kata-earlier"))
    cells.append(nbformat.v4.new_markdown_cell(text["lesson"]))
    cells.append(code(stub_code(number, checkout), "kata-lesson"))
    cells.append(nbformat.v4.new_markdown_cell(
        text["check"].format(n=number, folder=lesson.folder)))
    cells.append(code(f"kata.check({number})", "kata-check"))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata.update({
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "kata": {"lesson": number, "lang": lang},
    })
    return notebook


def default_repo(checkout: Checkout) -> str:
    """This clone's ``origin`` URL (what Colab should clone), or a placeholder to edit."""
    try:
        url = subprocess.run(
            ["git", "-C", str(checkout.root), "remote", "get-url", "origin"],
            capture_output=True, text=True, timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        url = ""
    return url or PLACEHOLDER_REPO


def write_notebooks(out: Path, checkout: Checkout, lang: str = "en", *, repo: str | None = None,
                    force: bool = False, now: _dt.datetime | None = None) -> list[tuple[Path, str]]:
    """Write every lesson's notebook into ``out``, keeping the ones already there.

    Args:
        out: the folder to write to (made if missing).
        checkout: the kata whose guides and stubs to use.
        lang: ``"en"`` or ``"zh-CN"``.
        repo: the git URL for Colab (default: this clone's ``origin``).
        force: write existing notebooks again, each saved first as
            ``NN-<topic>.ipynb.bak-<time>``.
        now: the time for backup names (default: now).

    Returns:
        ``(path, what happened)`` per lesson: ``"written"``, ``"kept"`` or a backup's name.
    """
    import nbformat

    repo = repo or default_repo(checkout)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = (now or _dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    done = []
    for number in LESSONS:
        path = out / notebook_name(number)
        notebook = lesson_notebook(number, checkout, lang, repo)
        if path.exists():
            if not force:
                done.append((path, "kept"))
                continue
            backup = path.with_name(f"{path.name}.bak-{stamp}")
            shutil.copy2(path, backup)
            done.append((path, f"written; yours saved as {backup.name}"))
        else:
            done.append((path, "written"))
        nbformat.validate(notebook)
        nbformat.write(notebook, str(path))
    return done


def main(args, checkout: Checkout) -> int:
    """``kata notebooks OUT [--lang zh-CN] [--repo URL] [--force]``.

    Args:
        args: the parsed arguments (:mod:`kata.cli`).
        checkout: the kata whose guides and stubs to use.

    Returns:
        The exit code.
    """
    try:
        import nbformat  # noqa: F401
    except ImportError:
        print("kata notebooks needs nbformat: pip install -e '.[notebook]'")
        return 1
    try:
        done = write_notebooks(args.out, checkout, args.lang, repo=args.repo, force=args.force)
    except ValueError as error:
        print(error)
        return 2
    for path, what in done:
        print(f"{path}: {what}")
    kept = sum(what == "kept" for _, what in done)
    if kept:
        print(f"{kept} notebook(s) already existed and were kept (your work); --force writes "
              "them again after a backup.")
    repo = args.repo or default_repo(checkout)
    if repo == PLACEHOLDER_REPO:
        print(f"For Colab, pass --repo with your copy's git URL (the set-up cell clones {repo}).")
    print(f"Start with: jupyter lab {args.out}")
    return 0
