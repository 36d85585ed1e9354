"""kata.impl: trees, loading lesson modules by path, kata.lesson() for the capstone."""

import textwrap

import pytest

import kata
from kata import impl
from kata.impl import ROOT


def make_tree(base, **modules):
    """A tree laid out as NN/<module>.py, e.g. make_tree(p, **{"03/build": "..."})."""
    for name, text in modules.items():
        path = base / f"{name}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return base


def test_named_trees_are_the_repositorys_folders():
    assert impl.resolve_tree("lessons") == ROOT / "lessons"
    assert impl.resolve_tree("solutions") == ROOT / "solutions"


def test_default_tree_is_the_environment_variable_or_lessons(monkeypatch, tmp_path):
    monkeypatch.delenv(impl.IMPL_ENV, raising=False)
    assert impl.resolve_tree(None) == ROOT / "lessons"
    make_tree(tmp_path, **{"03/build": "X = 1"})
    monkeypatch.setenv(impl.IMPL_ENV, str(tmp_path))
    assert impl.resolve_tree(None) == tmp_path.resolve()


def test_missing_folder_and_folder_without_lessons_are_clear_errors(tmp_path):
    with pytest.raises(impl.ImplError, match="there is no folder"):
        impl.resolve_tree(tmp_path / "nowhere")
    with pytest.raises(impl.ImplError, match="has no lesson folders"):
        impl.resolve_tree(tmp_path)


def test_unknown_lesson_names_the_lessons_there_are():
    with pytest.raises(impl.ImplError, match="There is no lesson 42. The lessons are 01, 02"):
        impl.get_lesson(42)


def test_missing_module_says_how_to_restore_it(tmp_path):
    make_tree(tmp_path, **{"03/build": "X = 1"})
    with pytest.raises(impl.ImplError, match="kata reset 4"):
        impl.load_module(tmp_path, 4)


def test_same_lesson_from_two_trees_are_two_modules(tmp_path):
    make_tree(tmp_path / "a", **{"03/build": "WHO = 'a'"})
    make_tree(tmp_path / "b", **{"03/build": "WHO = 'b'"})
    a, b = impl.load_module(tmp_path / "a", 3), impl.load_module(tmp_path / "b", 3)
    assert (a.WHO, b.WHO) == ("a", "b")
    assert a.__name__ != b.__name__
    assert impl.load_module(tmp_path / "a", 3) is a


def test_fresh_reloads_a_changed_file(tmp_path):
    make_tree(tmp_path, **{"03/build": "X = 1"})
    assert impl.load_module(tmp_path, 3).X == 1
    (tmp_path / "03" / "build.py").write_text("X = 2\n")
    assert impl.load_module(tmp_path, 3, fresh=True).X == 2


def test_kata_lesson_resolves_to_the_callers_own_tree(tmp_path):
    make_tree(
        tmp_path,
        **{
            "03/build": "WHO = 'this tree'",
            "10/pipeline": """
                import kata

                def who_builds():
                    return kata.lesson(3).WHO
            """,
        },
    )
    assert impl.load_module(tmp_path, 10).who_builds() == "this tree"
    assert kata.lesson(3, tree="solutions").__file__ == str(ROOT / "solutions" / "03" / "build.py")
