"""Every English lesson guide has a Simplified Chinese twin with the same sections.

``docs/lessons/NN-<module>.md`` ↔ ``docs/zh-CN/lessons/NN-<module>.md``: the
same ``##`` sections in the same number (their headings are translated), and
the same title number.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kata.impl import ROOT

ENGLISH = sorted((ROOT / "docs" / "lessons").glob("[0-9][0-9]-*.md"))
CHINESE_DIR = ROOT / "docs" / "zh-CN" / "lessons"
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)


def sections(path: Path) -> list[str]:
    """The ``## `` headings of a Markdown file, outside code blocks."""
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return re.findall(r"^## +(.+?)\s*$", text, flags=re.MULTILINE)


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.name)
def test_chinese_guide_exists_with_the_same_sections(english: Path):
    chinese = CHINESE_DIR / english.name
    assert chinese.is_file(), f"{english.relative_to(ROOT)} has no Simplified Chinese guide {chinese.relative_to(ROOT)}"
    english_sections, chinese_sections = sections(english), sections(chinese)
    assert len(chinese_sections) == len(english_sections), (
        f"{chinese.relative_to(ROOT)} has {len(chinese_sections)} '##' sections, the English guide "
        f"{len(english_sections)}: {english_sections} vs {chinese_sections}"
    )
    title = chinese.read_text(encoding="utf-8").splitlines()[0]
    assert title.startswith(f"# 第 {english.name[:2]} 课"), f"{chinese.relative_to(ROOT)} should start with '# 第 {english.name[:2]} 课 · …'"


def test_every_chinese_guide_has_an_english_original():
    english_names = {p.name for p in ENGLISH}
    orphans = [p.name for p in CHINESE_DIR.glob("*.md") if p.name not in english_names]
    assert not orphans, f"Chinese guides without an English guide in docs/lessons/: {orphans}"
