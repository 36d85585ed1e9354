"""kata.data: seeding Keras' cache from local copies, checksums and error messages.

Every case builds its own tiny copy of the four Fashion-MNIST files (a few
made-up images in the IDX format, gzipped) and the checksums of the content it
wrote, so nothing here needs the real data set, except the last test, which
checks the real checksums against Debian's copy when that is installed.
"""

import gzip
import hashlib
import os
import struct
import tempfile
from pathlib import Path

import pytest

from kata import data


def idx_content(name: str, count: int = 3, salt: int = 0) -> bytes:
    """A small IDX file: `count` labels or `count` 28×28 images; `salt` changes the values."""
    if "labels" in name:
        header = struct.pack(">II", 0x00000801, count)
        body = bytes((i + salt) % 10 for i in range(count))
    else:
        header = struct.pack(">IIII", 0x00000803, count, 28, 28)
        body = bytes((i * 7 + salt) % 256 for i in range(count * 28 * 28))
    return header + body


def make_copy(folder: Path, salt: int = 0) -> dict[str, str]:
    """Write the four gzip files into `folder`; return the SHA-256 of each one's content."""
    folder.mkdir(parents=True, exist_ok=True)
    checksums = {}
    for name in data.FILES:
        content = idx_content(name, salt=salt)
        (folder / name).write_bytes(gzip.compress(content))
        checksums[name] = hashlib.sha256(content).hexdigest()
    return checksums


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def same_files(a: Path, b: Path) -> bool:
    return all((a / n).read_bytes() == (b / n).read_bytes() for n in data.FILES)


@pytest.fixture
def no_debian(monkeypatch, tmp_path):
    """Hide Debian's copy and FASHION_MNIST_DIR, so only the sources a test names exist."""
    monkeypatch.setattr(data, "DEBIAN_DIR", tmp_path / "no-debian-package")
    monkeypatch.delenv(data.ENV_VAR, raising=False)


# --- where the files come from -------------------------------------------------------


def test_seeds_the_cache_from_fashion_mnist_dir(tmp_path, monkeypatch, no_debian):
    source = tmp_path / "my-copy"
    checksums = make_copy(source)
    monkeypatch.setenv(data.ENV_VAR, str(source))
    cache = tmp_path / "cache"
    used = data.seed_keras_cache(cache_dir=cache, checksums=checksums)
    assert used == source
    assert files_in(cache) == sorted([*data.FILES, data.STAMP]), (
        "exactly the four files and the record of checked files, no temporary leftovers")
    assert same_files(cache, source)


def test_local_sources_are_fashion_mnist_dir_then_debian(tmp_path, monkeypatch):
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    assert data.local_sources() == [tmp_path, data.DEBIAN_DIR]
    monkeypatch.delenv(data.ENV_VAR)
    assert data.local_sources() == [data.DEBIAN_DIR]


def test_uses_the_second_source_when_the_first_is_absent(tmp_path, no_debian):
    second = tmp_path / "second"
    checksums = make_copy(second)
    cache = tmp_path / "cache"
    used = data.seed_keras_cache(sources=[tmp_path / "absent", second], cache_dir=cache, checksums=checksums)
    assert used == second
    assert same_files(cache, second)


def test_no_source_at_all_returns_none_and_leaves_the_cache_alone(tmp_path, no_debian):
    cache = tmp_path / "cache"
    checksums = make_copy(tmp_path / "elsewhere")  # only for the checksums
    assert data.seed_keras_cache(sources=[tmp_path / "absent"], cache_dir=cache, checksums=checksums) is None
    assert not cache.exists(), "with no local copy the cache is not even created (Keras downloads)"


def test_no_source_and_a_good_cache_returns_none_without_rewriting_it(tmp_path, no_debian):
    cache = tmp_path / "cache"
    checksums = make_copy(cache)
    before = {n: (cache / n).stat().st_mtime_ns for n in data.FILES}
    assert data.seed_keras_cache(sources=[tmp_path / "absent"], cache_dir=cache, checksums=checksums) is None
    assert {n: (cache / n).stat().st_mtime_ns for n in data.FILES} == before


def test_a_good_cache_is_not_copied_again(tmp_path, no_debian):
    source, cache = tmp_path / "source", tmp_path / "cache"
    checksums = make_copy(source)
    make_copy(cache)
    before = {n: (cache / n).stat().st_ino for n in data.FILES}
    assert data.seed_keras_cache(sources=[source], cache_dir=cache, checksums=checksums) == source
    assert {n: (cache / n).stat().st_ino for n in data.FILES} == before


def test_a_bad_file_already_in_the_cache_is_replaced(tmp_path, no_debian):
    source, cache = tmp_path / "source", tmp_path / "cache"
    checksums = make_copy(source)
    make_copy(cache)
    bad = cache / "train-images-idx3-ubyte.gz"
    bad.write_bytes(gzip.compress(b"not the data"))
    assert data.seed_keras_cache(sources=[source], cache_dir=cache, checksums=checksums) == source
    assert same_files(cache, source)
    data.check_file(bad, checksums)  # the replaced file now passes the check


def test_a_checked_file_is_checked_again_only_once_it_changes(tmp_path, no_debian, monkeypatch):
    source, cache = tmp_path / "source", tmp_path / "cache"
    checksums = make_copy(source)
    data.seed_keras_cache(sources=[source], cache_dir=cache, checksums=checksums)
    data.seed_keras_cache(sources=[source], cache_dir=cache, checksums=checksums)
    checked = []
    real = data.content_sha256
    monkeypatch.setattr(data, "content_sha256", lambda path: checked.append(path.name) or real(path))
    data.seed_keras_cache(sources=[source], cache_dir=cache, checksums=checksums)
    assert checked == [], f"files checked before and unchanged since were decompressed again: {checked}"
    bad = cache / "t10k-labels-idx1-ubyte.gz"
    bad.write_bytes(gzip.compress(b"not the data"))
    assert data.seed_keras_cache(sources=[source], cache_dir=cache, checksums=checksums) == source
    assert checked == [bad.name], f"only the changed file should be checked again, got {checked}"
    assert same_files(cache, source), "the changed file was not replaced from the source"


def test_a_bad_file_in_the_cache_with_no_source_is_an_error(tmp_path, no_debian):
    """Keras would trust a cached file it finds; the kata names it instead."""
    cache = tmp_path / "cache"
    checksums = make_copy(cache)
    (cache / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(b"\x00" * 20))
    with pytest.raises(data.DatasetError, match="t10k-labels-idx1-ubyte.gz"):
        data.seed_keras_cache(sources=[tmp_path / "absent"], cache_dir=cache, checksums=checksums)


# --- bad sources: one clear error, nothing copied --------------------------------------


def test_a_corrupted_file_is_one_error_naming_it_and_the_fix(tmp_path, no_debian):
    source, cache = tmp_path / "source", tmp_path / "cache"
    checksums = make_copy(source)
    (source / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx_content("train-labels", salt=1)))
    with pytest.raises(data.DatasetError) as caught:
        data.seed_keras_cache(sources=[source], cache_dir=cache, checksums=checksums)
    message = str(caught.value)
    assert "train-labels-idx1-ubyte.gz" in message
    assert "SHA-256" in message and checksums["train-labels-idx1-ubyte.gz"] in message
    assert "Fix:" in message and data.DEBIAN_PACKAGE in message
    assert files_in(cache) == [], "nothing is copied from a source with a bad file"


def test_a_truncated_gzip_is_one_error_naming_it_and_the_fix(tmp_path, no_debian):
    source, cache = tmp_path / "source", tmp_path / "cache"
    checksums = make_copy(source)
    victim = source / "t10k-images-idx3-ubyte.gz"
    packed = victim.read_bytes()
    victim.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(data.DatasetError) as caught:
        data.seed_keras_cache(sources=[source], cache_dir=cache, checksums=checksums)
    message = str(caught.value)
    assert "t10k-images-idx3-ubyte.gz" in message
    assert "not a complete gzip file" in message
    assert "Fix:" in message
    assert files_in(cache) == []


def test_a_missing_file_is_one_error_naming_it(tmp_path, no_debian):
    source, cache = tmp_path / "source", tmp_path / "cache"
    checksums = make_copy(source)
    (source / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(data.DatasetError) as caught:
        data.seed_keras_cache(sources=[source], cache_dir=cache, checksums=checksums)
    message = str(caught.value)
    assert "t10k-labels-idx1-ubyte.gz is missing" in message
    assert "Fix:" in message
    assert files_in(cache) == []


def test_every_bad_file_is_listed_in_the_one_error(tmp_path, no_debian):
    source, cache = tmp_path / "source", tmp_path / "cache"
    checksums = make_copy(source)
    (source / "train-images-idx3-ubyte.gz").unlink()
    (source / "train-labels-idx1-ubyte.gz").write_bytes(b"\x1f\x8b garbage")
    with pytest.raises(data.DatasetError) as caught:
        data.seed_keras_cache(sources=[source], cache_dir=cache, checksums=checksums)
    message = str(caught.value)
    assert "train-images-idx3-ubyte.gz is missing" in message
    assert "train-labels-idx1-ubyte.gz is not a complete gzip file" in message
    assert files_in(cache) == []


def test_fashion_mnist_dir_that_does_not_exist_is_an_error(tmp_path, monkeypatch, no_debian):
    missing = tmp_path / "typo"
    monkeypatch.setenv(data.ENV_VAR, str(missing))
    cache = tmp_path / "cache"
    with pytest.raises(data.DatasetError) as caught:
        data.seed_keras_cache(cache_dir=cache, checksums=make_copy(tmp_path / "elsewhere"))
    message = str(caught.value)
    assert data.ENV_VAR in message and str(missing) in message
    assert "unset it" in message
    assert not cache.exists()


def test_check_file_compares_the_content_not_the_gzip_bytes(tmp_path, no_debian):
    """check_file: the content, not the gzip bytes, is what is checked."""
    folder = tmp_path / "copy"
    checksums = make_copy(folder)
    name = "train-labels-idx1-ubyte.gz"
    # The same content packed differently (another compression level) is still right.
    (folder / name).write_bytes(gzip.compress(idx_content(name), compresslevel=1))
    data.check_file(folder / name, checksums)
    with pytest.raises(data.DatasetError, match="different data set"):
        (folder / name).write_bytes(gzip.compress(idx_content(name, salt=3)))
        data.check_file(folder / name, checksums)


# --- where Keras looks -----------------------------------------------------------------


def test_keras_cache_dir_follows_keras_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    assert data.keras_cache_dir() == tmp_path / "keras-home" / "datasets" / "fashion-mnist"


def test_keras_cache_dir_falls_back_to_tmp_like_keras(tmp_path, monkeypatch):
    """keras.utils.get_file uses /tmp/.keras (not $TMPDIR) when its home is not writable."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "my-tmpdir"))
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    expected = Path("/tmp") if os.path.isdir("/tmp") else Path(tempfile.gettempdir())
    assert data.keras_cache_dir() == expected / ".keras" / "datasets" / "fashion-mnist"


# --- the real data ---------------------------------------------------------------------


@pytest.mark.skipif(
    not data.DEBIAN_DIR.is_dir(),
    reason=f"Debian's {data.DEBIAN_PACKAGE} is not installed ({data.DEBIAN_DIR} is absent): "
    "an optional source, nothing to compare the checksums with",
)
def test_the_real_checksums_match_debians_copy():
    for name in data.FILES:
        assert data.content_sha256(data.DEBIAN_DIR / name) == data.CHECKSUMS[name], name
