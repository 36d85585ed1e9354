"""The kata in Chinese: every message translated, the catalogue compiled, the language chosen.

What a learner reads at run time is covered: the ``kata`` command, the graded suites'
failure messages and score lines (``pytest lessons/NN``), the explanations of errors,
the hints (``lessons/NN/hints.zh_CN.md``) and ``kata grade``'s feedback files.
Messages are extracted from the sources exactly as ``pybabel extract`` does
(``kata/locale/babel.cfg``), so a message added without a translation, a
``.po`` edited without compiling the ``.mo``, or a message the extractor can't
see (``_()`` inside an f-string) fails here.
"""

from __future__ import annotations

import ast
import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

import keras  # noqa: F401  (imported before pytester's in-process run snapshots sys.modules)
import pytest

from kata import i18n
from kata.impl import ROOT

babel_extract = pytest.importorskip("babel.messages.extract", reason="Babel is in the dev/test dependencies")
from babel.messages.frontend import parse_mapping_cfg  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

LOCALE = ROOT / "kata" / "locale"
PO = LOCALE / "zh_CN" / "LC_MESSAGES" / "kata.po"
MO = LOCALE / "zh_CN" / "LC_MESSAGES" / "kata.mo"
PLACEHOLDER = re.compile(r"\{([a-z_]*)[^{}]*\}")


def extracted() -> dict[str, str]:
    """Every message of the sources ``babel.cfg`` lists: msgid → where it is."""
    with open(LOCALE / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    messages = {}
    for filename, lineno, message, _comments, _context in babel_extract.extract_from_dir(
        ROOT, method_map, options_map, keywords={"_": None, "N_": None, "ngettext": (1, 2)}
    ):
        for text in message if isinstance(message, tuple) else (message,):
            messages[text] = f"{filename}:{lineno}"
    return messages


def catalogue() -> dict[str, str]:
    """msgid → its translation in kata.po ("fuzzy" when marked so).

    A plural message (``ngettext``) gives two: its singular and its plural form, each
    with the translation the catalogue's plural rule picks for 1 and for 2 (Chinese has one).
    """
    with open(PO, "rb") as stream:
        po = read_po(stream)
    which = gettext.c2py(po.plural_expr)
    found = {}
    for m in po:
        if not m.id:
            continue
        if isinstance(m.id, tuple):
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            for n, msgid in ((1, m.id[0]), (2, m.id[1])):
                found[msgid] = "fuzzy" if m.fuzzy else strings[min(which(n), len(strings) - 1)]
        else:
            found[m.id] = "fuzzy" if m.fuzzy else m.string
    return found


def plurals() -> dict[str, tuple[str, str, int]]:
    """Each form of the catalogue's plural messages → (singular, plural, a count that picks this form)."""
    with open(PO, "rb") as stream:
        po = read_po(stream)
    return {msgid: (m.id[0], m.id[1], n) for m in po if isinstance(m.id, tuple) for n, msgid in ((1, m.id[0]), (2, m.id[1]))}


def test_every_message_has_a_chinese_translation():
    messages = extracted()
    assert len(messages) > 40, f"only {len(messages)} messages extracted: is babel.cfg right?"
    translated = catalogue()
    missing = [f"{where}: {msgid!r}" for msgid, where in messages.items() if not translated.get(msgid)]
    fuzzy = [f"{where}: {msgid!r}" for msgid, where in messages.items() if translated.get(msgid) == "fuzzy"]
    assert not missing, (
        "these messages have no zh_CN translation in kata/locale/zh_CN/LC_MESSAGES/kata.po "
        "(kata/locale/README.md says how to add them):\n" + "\n".join(missing)
    )
    assert not fuzzy, "these zh_CN translations are marked fuzzy (check them, remove the flag):\n" + "\n".join(fuzzy)


def test_translations_keep_every_placeholder():
    wrong = []
    for msgid, msgstr in catalogue().items():
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr)):
            wrong.append(f"{msgid!r} → {msgstr!r}")
    assert not wrong, "a translation must keep the {placeholders} of its message:\n" + "\n".join(wrong)


def test_the_compiled_catalogue_matches_the_po_file():
    with open(MO, "rb") as stream:
        compiled = gettext.GNUTranslations(stream)
    forms = plurals()

    def looked_up(msgid):
        return compiled.ngettext(*forms[msgid]) if msgid in forms else compiled.gettext(msgid)

    stale = [msgid for msgid, msgstr in catalogue().items() if looked_up(msgid) != msgstr]
    assert not stale, (
        f"{MO.relative_to(ROOT)} is not compiled from the current kata.po; run "
        f"`pybabel compile -D kata -d kata/locale`. Differing: {stale[:5]}"
    )


def test_no_message_hides_from_the_extractor():
    """``_()`` inside an f-string, or with a computed argument, is never extracted, so never translated."""
    hidden = []
    for path in sorted([*(ROOT / "kata").rglob("*.py"), *(ROOT / "lessons").glob("*/test_*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            inside_fstring = isinstance(node, ast.JoinedStr)
            for call in ast.walk(node) if inside_fstring else [node]:
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "_":
                    where = f"{path.relative_to(ROOT)}:{call.lineno}"
                    if inside_fstring:
                        hidden.append(f"{where}: _() inside an f-string")
                    elif not (call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)):
                        hidden.append(f"{where}: _() of something other than a string literal")
    assert not hidden, "\n".join(sorted(set(hidden)))


@pytest.mark.parametrize(
    ("lang", "env", "expected"),
    [
        ("zh_CN", {}, "zh"),
        ("zh-cn", {}, "zh"),
        ("zh", {}, "zh"),
        ("en", {"KATA_LANG": "zh_CN"}, "en"),  # --lang beats KATA_LANG
        (None, {"KATA_LANG": "zh_CN", "LANG": "en_US.UTF-8"}, "zh"),  # KATA_LANG beats the locale
        (None, {"LANG": "zh_CN.UTF-8"}, "zh"),
        (None, {"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),  # LC_ALL beats LANG
        (None, {}, "en"),
        ("fr", {}, "en"),  # no catalogue: English
    ],
)
def test_the_language_is_chosen_by_lang_then_kata_lang_then_the_locale(lang, env, expected, monkeypatch):
    for name in ("KATA_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    text = i18n.translation(lang).gettext("Every lesson has full points. Well done!")
    assert (text == "每一课都拿到了满分，做得好！") == (expected == "zh"), (lang, env, text)


def run_kata(repo: Path, *args: str, lang_env: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, COLUMNS="150", TERM="dumb", NO_COLOR="1")
    for name in ("KATA_IMPL", "PYTHONPATH", "KATA_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(name, None)
    if lang_env:
        env["KATA_LANG"] = lang_env
    return subprocess.run(
        [sys.executable, "-m", "kata.cli", *args], cwd=repo, env=env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_the_cli_speaks_chinese_with_lang_or_kata_lang(tmp_path):
    import shutil

    from kata.checkout import Checkout

    repo = tmp_path / "repo"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "kata", repo / "kata", ignore=ignore)
    shutil.copytree(ROOT / "lessons" / "03", repo / "lessons" / "03", ignore=ignore)
    mine = Checkout(repo).lesson_file(3)
    mine.write_text(mine.read_text() + "\n# my work\n")
    done = run_kata(repo, "reset", "3", "--lang", "zh_CN")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "什么都没有改动" in done.stdout and "kata reset 3 --yes" in done.stdout, done.stdout
    hint = run_kata(repo, "hint", "3", lang_env="zh_CN")
    assert "第 03 课 · 提示 1/" in hint.stdout, hint.stdout
    english = run_kata(repo, "hint", "3")
    assert "Lesson 03 · hint 2 of" in english.stdout, english.stdout

    from kata.outcome import LessonResult
    from kata.student.state import fingerprint, save_results

    checkout = Checkout(repo)
    recorded = LessonResult(number=3, earned=4, possible=10, passed=2, tests=6, failures=["test_x: expected 10 outputs"],
                            fingerprint=fingerprint(3, checkout), when="2026-11-26T10:00:00+00:00")  # fmt: skip
    save_results([recorded], checkout)
    status = run_kata(repo, "status", lang_env="zh_CN")
    assert status.returncode == 0, status.stdout + status.stderr
    for text in ("你的进度", "✗ 未通过", "（2/6 个测试通过）", "此后文件未改动", "下一步：第 03 课 · 构建模型", "4/10 分"):
        assert text in status.stdout, f"{text!r} is missing from the zh_CN status:\n{status.stdout}"


# --- the graded suites, the hints and the feedback ------------------------------------------

LESSON_FOLDERS = sorted(path.name for path in (ROOT / "lessons").iterdir() if (path / "hints.md").is_file())


def test_every_graded_suite_takes_its_messages_from_the_catalogue():
    suites = sorted((ROOT / "lessons").glob("*/test_*.py"))
    assert sorted({path.parent.name for path in suites}) == LESSON_FOLDERS, suites
    imports = re.compile(r"^from kata\.i18n import [^\n]*\b_\b", re.MULTILINE)
    bare = [str(path.relative_to(ROOT)) for path in suites if not imports.search(path.read_text())]
    assert not bare, f"these suites' failure messages are not wrapped in _() (kata/locale/README.md): {bare}"
    messages = extracted()
    for path in suites:
        where = str(path.relative_to(ROOT))
        assert any(place.startswith(where + ":") for place in messages.values()), f"no message extracted from {where}"


@pytest.mark.parametrize("folder", LESSON_FOLDERS)
def test_every_lesson_has_its_hints_in_chinese(folder):
    from kata.student.hint import parse_hints

    english = parse_hints((ROOT / "lessons" / folder / "hints.md").read_text(encoding="utf-8"))
    path = ROOT / "lessons" / folder / "hints.zh_CN.md"
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing: translate lessons/{folder}/hints.md"
    chinese = parse_hints(path.read_text(encoding="utf-8"))
    assert len(chinese) == len(english), f"{path.name} of lesson {folder} has {len(chinese)} hints, hints.md {len(english)}"
    for number, hint in enumerate(chinese, start=1):
        assert re.search(r"[\u4e00-\u9fff]", hint), f"hint {number} of lesson {folder} is not in Chinese"


def test_kata_hint_shows_the_chinese_hints(tmp_path):
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "kata", repo / "kata", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copytree(ROOT / "lessons" / "03", repo / "lessons" / "03")
    chinese = run_kata(repo, "hint", "3", "--lang", "zh_CN")
    assert "模型是一层接一层叠起来的" in chinese.stdout, chinese.stdout
    english = run_kata(repo, "hint", "3", "--all")
    assert "The model is a stack of layers" in english.stdout and "模型" not in english.stdout, english.stdout


DROPOUT_MODEL = '''
import keras


def build_model():
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(10, activation="softmax"),
    ])
'''


def test_a_failing_lesson_speaks_chinese_with_kata_lang(tmp_path):
    """``KATA_LANG=zh_CN pytest lessons/03`` on a wrong model: Chinese failure messages and score line."""
    (tmp_path / "tree" / "03").mkdir(parents=True)
    (tmp_path / "tree" / "03" / "build.py").write_text(DROPOUT_MODEL)
    env = dict(os.environ, KATA_LANG="zh_CN", COLUMNS="200")
    for name in ("KATA_IMPL", "CI", "BUILD_NUMBER", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "lessons/03", f"--impl={tmp_path / 'tree'}", "-p", "no:cacheprovider"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    out = done.stdout
    assert done.returncode == 1, out + done.stderr
    for text in (
        "你的模型有一个 Dropout 层",  # the layers test
        "模型的输出在最后一个 Dense 层之后又经过了 softmax",  # the logits test
        "第 03 课 · build：",  # the score line ...
        "总分：",  # ... and the total
        "下一步：编辑",
        "指南 docs/zh-CN/lessons/03-build.md",  # the guide in Chinese too
    ):
        assert text in out, f"{text!r} is missing from the zh_CN run:\n{out}"
    assert "Your model has a Dropout layer" not in out and "points" not in out.split("kata score")[-1], out


def test_the_plugins_lang_option_beats_kata_lang(pytester, monkeypatch):
    monkeypatch.setenv("KATA_LANG", "en")
    pytester.makepyfile(**{"03/test_fake": "import pytest\n\n@pytest.mark.points(10)\ndef test_x(impl):\n    assert False, 'no'\n"})
    pytester.makepyfile(**{"tree/03/build": "X = 1\n"})
    pytester.makeini("[pytest]\naddopts = --import-mode=importlib -p kata.plugin\n")
    result = pytester.runpytest_inprocess("03", f"--impl={pytester.path / 'tree'}", "--lang", "zh_CN")
    result.stdout.fnmatch_lines(["第 03 课 · build：0/10 分", "总分：0/10 分"])


def test_explanations_of_student_errors_are_translated():
    from kata import explain

    i18n.use("zh_CN")
    assert explain.meaning(ZeroDivisionError("division by zero")) == "除以零：检查除数的值。"
    i18n.use("en")
    assert explain.meaning(ZeroDivisionError("division by zero")) == "A division by zero: check the value of the divisor."


@pytest.mark.skipif(not __import__("shutil").which("bwrap"), reason="kata grade's sandbox needs bubblewrap")
def test_kata_grade_writes_chinese_feedback_with_lang(tmp_path):
    from kata import cli

    solution = (ROOT / "solutions" / "03" / "build.py").read_text()
    relu_output = solution.replace("keras.layers.Dense(10)", 'keras.layers.Dense(10, activation="relu")')
    assert relu_output != solution
    (tmp_path / "submissions" / "ada" / "lessons" / "03").mkdir(parents=True)
    (tmp_path / "submissions" / "ada" / "lessons" / "03" / "build.py").write_text(relu_output)
    code = cli.main(["grade", str(tmp_path / "submissions"), "--out", str(tmp_path / "out"), "--lessons", "3",
                     "--timeout", "120", "--sandbox", "bwrap", "--lang", "zh_CN"])  # fmt: skip
    feedback = (tmp_path / "out" / "feedback" / "ada.md").read_text(encoding="utf-8")
    assert code == 0, feedback
    for text in ("# ada 的反馈", "**总分：8/10 分**", "## 第 03 课 · ", "未通过", "模型的输出在最后一个 Dense 层之后又经过了 relu"):
        assert text in feedback, f"{text!r} is missing from the zh_CN feedback:\n{feedback}"


def test_every_suite_message_is_formatted_with_all_its_placeholders():
    """A suite's ``_("... {name} ...").format(...)`` that misses a name fails only when a student
    makes that mistake (a KeyError instead of the message)."""
    import string

    def messages_of(node):
        if isinstance(node, ast.IfExp):
            return messages_of(node.body) + messages_of(node.orelse)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_" and node.args:
            return [node.args[0].value] if isinstance(node.args[0], ast.Constant) else []
        return []

    wrong = []
    for path in sorted((ROOT / "lessons").glob("*/test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        formatted = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
                given = {keyword.arg for keyword in node.keywords}
                for message in messages_of(node.func.value):
                    formatted.add(message)
                    names = {field.split(".")[0].split("[")[0] for _, field, _, _ in string.Formatter().parse(message) if field}
                    if names - given:
                        wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: {sorted(names - given)} not given to .format()")
        for node in ast.walk(tree):
            for message in messages_of(node) if isinstance(node, ast.Call) else []:
                fields = [field for _, field, _, _ in string.Formatter().parse(message) if field]
                if fields and message not in formatted:
                    wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: {message[:60]!r}… has placeholders but no .format()")
    assert not wrong, "\n".join(wrong)


def test_a_regrade_in_another_language_is_not_served_from_the_records():
    """Records keep the failure messages in the language they were graded in: --lang changes the fingerprint."""
    from kata.checkout import Checkout
    from kata.grading.command import grader_fingerprint

    checkout = Checkout(ROOT)
    i18n.use("en")
    english = grader_fingerprint(checkout, [3])
    i18n.use("zh_CN")
    assert grader_fingerprint(checkout, [3]) != english
    i18n.use("en")
    assert grader_fingerprint(checkout, [3]) == english
