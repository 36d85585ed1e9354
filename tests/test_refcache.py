"""kata.refcache: weights trained by the reference are kept; the student's never; a bad file is made again."""

from __future__ import annotations

import numpy as np
import pytest

from kata import impl as impl_module
from kata.refcache import cache_key, reference_weights


class Trainer:
    """A stand-in for a suite's training: counts its calls, returns weights."""

    def __init__(self, value: float = 1.0):
        self.calls = 0
        self.value = value

    def __call__(self) -> list[np.ndarray]:
        self.calls += 1
        return [np.full((3, 2), self.value, dtype="float32"), np.arange(2, dtype="float32")]


@pytest.fixture
def references():
    return [impl_module.load_module("solutions", 2), impl_module.load_module("solutions", 3)]


def student_module(tmp_path):
    lesson = impl_module.get_lesson(2)
    path = tmp_path / "tree" / lesson.folder / lesson.filename
    path.parent.mkdir(parents=True)
    path.write_text("def normalize(images):\n    return images / 255.0\n")
    return impl_module.load_module(tmp_path / "tree", 2)


def test_the_second_run_loads_what_the_first_trained(references, tmp_path):
    train = Trainer(0.5)
    first = reference_weights("t", references, {"seed": 1}, train, folder=tmp_path)
    second = reference_weights("t", references, {"seed": 1}, train, folder=tmp_path)
    assert train.calls == 1
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    assert [w.dtype for w in second] == ["float32", "float32"]


def test_another_seed_or_data_is_trained_again(references, tmp_path):
    train = Trainer()
    reference_weights("t", references, {"seed": 1, "data": np.zeros(4)}, train, folder=tmp_path)
    reference_weights("t", references, {"seed": 2, "data": np.zeros(4)}, train, folder=tmp_path)
    reference_weights("t", references, {"seed": 1, "data": np.ones(4)}, train, folder=tmp_path)
    assert train.calls == 3


def test_the_key_changes_with_the_reference_code(references, tmp_path):
    train = Trainer()
    student = student_module(tmp_path)
    assert cache_key("t", references, {}, train) != cache_key("t", [references[0], student], {}, train)


def test_weights_from_the_students_code_are_never_kept(references, tmp_path):
    train = Trainer()
    student = student_module(tmp_path)
    cache = tmp_path / "cache"
    for _ in range(2):
        reference_weights("t", [*references, student], {"seed": 1}, train, folder=cache)
    assert train.calls == 2
    assert not cache.exists()


@pytest.mark.parametrize("damage", ["truncated", "garbage", "another key"])
def test_a_damaged_file_is_ignored_and_made_again(references, tmp_path, damage):
    reference_weights("t", references, {"seed": 1}, Trainer(), folder=tmp_path)
    (path,) = tmp_path.glob("t-*.npz")
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:200])
    elif damage == "garbage":
        path.write_bytes(b"not a zip file")
    else:
        np.savez(path, key=np.array("0" * 32), count=np.array(1), w0=np.zeros(1))
    train = Trainer(7.0)
    weights = reference_weights("t", references, {"seed": 1}, train, folder=tmp_path)
    assert train.calls == 1 and weights[0][0, 0] == 7.0
    again = Trainer()
    assert reference_weights("t", references, {"seed": 1}, again, folder=tmp_path)[0][0, 0] == 7.0
    assert again.calls == 0


def test_a_cache_that_cannot_be_written_means_training_every_time(references, tmp_path):
    (tmp_path / "file").write_text("a file where the cache folder would go")
    train = Trainer()
    for _ in range(2):
        reference_weights("t", references, {"seed": 1}, train, folder=tmp_path / "file" / "cache")
    assert train.calls == 2
