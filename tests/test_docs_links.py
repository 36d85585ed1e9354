"""Every relative link and image in docs/ and the README points at a file that exists.

Markdown links ``[text](target)``, images ``![alt](target)``, reference
definitions ``[name]: target`` and HTML ``<img src="...">`` are checked;
web addresses (http, https, mailto) and in-page anchors (``#section``) are not.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from kata.impl import ROOT

INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+<?(\S+?)>?(?:\s+.*)?$", re.MULTILINE)
HTML_SRC = re.compile(r"<(?:img|a)\b[^>]*?\b(?:src|href)=\"([^\"]+)\"", re.IGNORECASE)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")

MARKDOWN_FILES = sorted([*(ROOT / "docs").rglob("*.md"), *[p for p in [ROOT / "README.md"] if p.exists()]])


def targets(text: str) -> list[str]:
    """The link and image targets of a Markdown text, outside code blocks and code spans."""
    text = CODE_SPAN.sub("", FENCE.sub("", text))
    found = INLINE.findall(text) + REFERENCE.findall(text) + HTML_SRC.findall(text)
    return [t for t in found if not re.match(r"^(?:[a-z][a-z0-9+.-]*:|#)", t, re.IGNORECASE)]


def test_targets_parses_links_images_and_skips_code_and_web_addresses():
    text = (
        "See [lesson 04](04-compile.md#goal) and ![a picture](../images/grid.png \"title\").\n"
        "[web](https://www.tensorflow.org) [anchor](#steps) `[not](a-link.md)`\n"
        "```\n[also not](code.md)\n```\n[ref]: ../../lessons/03/build.py\n"
        '<img src="pic.png" width="200">\n'
    )
    assert targets(text) == ["04-compile.md#goal", "../images/grid.png", "../../lessons/03/build.py", "pic.png"]


@pytest.mark.parametrize("path", MARKDOWN_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_and_image_resolves(path: Path):
    broken = []
    for target in targets(path.read_text(encoding="utf-8")):
        file_part = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if not file_part:
            continue
        resolved = (ROOT / file_part.lstrip("/")) if file_part.startswith("/") else (path.parent / file_part)
        if not resolved.exists():
            broken.append(target)
    assert not broken, f"{path.relative_to(ROOT)} links to files that don't exist: {broken}"
