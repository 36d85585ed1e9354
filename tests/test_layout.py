"""The tooling's layout: small modules, no import cycles, the design map matching the tree."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess

import pytest

from kata.impl import ROOT

KATA = ROOT / "kata"
MAX_LINES = 400
NOT_YET_SPLIT: set[str] = set()  # modules allowed to stay long while a split is under way


def modules() -> dict[str, object]:
    """Every module of the tooling (the stubs are lesson files, not tooling), by dotted name."""
    found = {}
    for path in sorted(KATA.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[1] == "stubs":
            continue
        name = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        found[name] = path
    return found


def test_no_module_is_over_400_lines():
    long = {
        path.relative_to(ROOT).as_posix(): n
        for path in modules().values()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    long = {name: n for name, n in long.items() if name not in NOT_YET_SPLIT}
    assert not long, f"split these modules along their seams (at most {MAX_LINES} lines each): {long}"


def module_imports(name: str, path) -> set[str]:
    """Every module ``name`` imports, at module level or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def test_no_import_cycles_between_kata_modules():
    known = modules()
    graph = {name: {m for m in module_imports(name, path) if m in known and m != name} for name, path in known.items()}
    # A package's __init__ gathering names from its own modules is not a cycle with them.
    for name in graph:
        graph[name] = {m for m in graph[name] if not name.startswith(m + ".")}
    state: dict[str, int] = {}
    cycles = []

    def visit(name: str, stack: list[str]) -> None:
        state[name] = 1
        for other in sorted(graph[name]):
            if state.get(other) == 1:
                cycles.append(stack[stack.index(other):] + [other])
            elif other not in state:
                visit(other, [*stack, other])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, f"import cycles among kata modules: {cycles}"


def test_the_design_map_names_only_what_exists():
    text = (ROOT / "docs" / "design" / "README.md").read_text(encoding="utf-8")
    block = text.split("```")[1]
    assert len(block.strip().splitlines()) <= 14, "the layout drawing should stay about a dozen lines"
    named = set(re.findall(r"kata/[a-z0-9_/]+(?:\.py|/)", block))
    missing = sorted(n for n in named if not (ROOT / n).exists())
    assert not missing, f"docs/design/README.md draws files that don't exist: {missing}"
    top = {p.relative_to(ROOT).as_posix() + ("/" if p.is_dir() else "") for p in KATA.iterdir()
           if p.name != "__pycache__" and p.name != "__init__.py"}
    unnamed = sorted(t for t in top if t not in named and t.removesuffix("/") + "/" not in named)
    assert not unnamed, f"docs/design/README.md leaves out {unnamed}"


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout")
def test_no_tracked_file_is_git_ignored():
    ignored = subprocess.run(["git", "ls-files", "--cached", "--ignored", "--exclude-standard"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert not ignored, f".gitignore lists files the repository tracks: {ignored}"
