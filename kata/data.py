"""Fashion-MNIST sources: checksums, local copies, and seeding Keras' cache.

``keras.datasets.fashion_mnist.load_data()`` downloads four gzip files into
``~/.keras/datasets/fashion-mnist/`` the first time it runs.  To work offline
(a workshop room, CI), :func:`seed_keras_cache` copies them there from a local
copy first, so that the tutorial's own call finds them and never downloads:

1. the folder named by the ``FASHION_MNIST_DIR`` environment variable;
2. Debian's package ``dataset-fashion-mnist`` (``/usr/share/datasets/fashion-mnist``).

With no local copy, Keras downloads as usual.  Every file is checked against
the SHA-256 of its *decompressed* content (two gzip packings of the same data
differ byte-wise; the content does not).  A missing, corrupted or truncated
file is one clear :class:`DatasetError` naming the file and the fix; a bad
file is never copied into the cache and never half-loaded.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import tempfile
import zlib
from pathlib import Path

from kata.fileio import copy_atomic, write_json

FILES = (
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
)

# SHA-256 of each file's decompressed IDX content (Zalando's release, as Keras
# and Debian ship it).
CHECKSUMS = {
    "train-labels-idx1-ubyte.gz": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "train-images-idx3-ubyte.gz": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "t10k-labels-idx1-ubyte.gz": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    "t10k-images-idx3-ubyte.gz": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
}

ENV_VAR = "FASHION_MNIST_DIR"
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
DEBIAN_PACKAGE = "dataset-fashion-mnist"
CACHE_SUBDIR = Path("datasets") / "fashion-mnist"
STAMP = ".kata-verified.json"  # in the cache folder: files already checked, by their stat

CLASS_NAMES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)


class DatasetError(RuntimeError):
    """A Fashion-MNIST file that is missing, corrupted or truncated."""


def keras_cache_dir() -> Path:
    """Where ``keras.datasets.fashion_mnist.load_data()`` looks for its files.

    Keras uses ``$KERAS_HOME`` or ``~/.keras``, and ``/tmp/.keras`` when that
    is not writable (the same rule as ``keras.utils.get_file``: ``/tmp`` itself,
    not ``$TMPDIR``; the temporary folder only on a system without ``/tmp``).
    """
    base = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras").expanduser()
    probe = base if base.exists() else base.parent
    if not os.access(probe, os.W_OK):
        base = Path("/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir()) / ".keras"
    return base / CACHE_SUBDIR


def content_sha256(path: Path) -> str:
    """SHA-256 of a gzip file's decompressed content; :class:`DatasetError` if unreadable."""
    digest = hashlib.sha256()
    try:
        with gzip.open(path, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except (OSError, EOFError, zlib.error) as error:
        raise DatasetError(
            f"{path} is not a complete gzip file ({error}). It is corrupted or was cut "
            "off while copying or downloading. Delete it and copy it again."
        ) from error
    return digest.hexdigest()


def check_file(path: Path, checksums: dict[str, str] = CHECKSUMS) -> None:
    """Raise :class:`DatasetError` unless ``path`` holds the expected content.

    Args:
        path: one of the four ``.gz`` files.
        checksums: the SHA-256 of each file's decompressed content, by file name.

    Raises:
        DatasetError: the file is missing, truncated or not the expected data.
    """
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path} is missing.")
    actual = content_sha256(path)
    expected = checksums[path.name]
    if actual != expected:
        raise DatasetError(
            f"{path} does not hold the Fashion-MNIST data it should: the SHA-256 of its "
            f"content is {actual}, expected {expected}. The file is corrupted or is a "
            "different data set. Delete it and copy it again."
        )


class _Verified:
    """Files whose content was checked before, remembered in the cache folder's :data:`STAMP`.

    Checking decompresses 30 MB (about half a second), at the start of every
    test session.  A file whose size, modification and change times and
    inode are those recorded when it last passed is not checked again;
    replacing or editing a file changes them, so it is checked once more.
    """

    def __init__(self, cache_dir: Path):
        self._path = Path(cache_dir) / STAMP
        try:
            self._entries = json.loads(self._path.read_text())
        except (OSError, ValueError):
            self._entries = {}
        if not isinstance(self._entries, dict):
            self._entries = {}
        self._changed = False

    @staticmethod
    def _key(path: Path, checksums: dict[str, str]) -> tuple[str, list]:
        info = path.stat()
        return str(path.resolve()), [info.st_size, info.st_mtime_ns, info.st_ctime_ns,
                                     info.st_ino, checksums[path.name]]

    def check(self, path: Path, checksums: dict[str, str]) -> None:
        """:func:`check_file`, skipped for a file that passed before and hasn't changed since."""
        path = Path(path)
        if path.is_file():
            name, stamp = self._key(path, checksums)
            if self._entries.get(name) == stamp:
                return
        check_file(path, checksums)
        name, stamp = self._key(path, checksums)
        self._entries[name] = stamp
        self._changed = True

    def save(self) -> None:
        if not self._changed or not self._path.parent.is_dir():
            return
        try:
            write_json(self._path, self._entries, indent=None)
        except OSError:
            pass  # a read-only cache: the files are checked again next time


def local_sources() -> list[Path]:
    """The local copies to try, in order: ``$FASHION_MNIST_DIR``, then Debian's package."""
    sources = []
    if os.environ.get(ENV_VAR):
        sources.append(Path(os.environ[ENV_VAR]).expanduser())
    sources.append(DEBIAN_DIR)
    return sources


def check_source(folder: Path, checksums: dict[str, str] = CHECKSUMS,
                 verified: _Verified | None = None) -> None:
    """Check all four files of a local copy; one error listing every problem."""
    check = verified.check if verified is not None else check_file
    problems = []
    for name in FILES:
        try:
            check(Path(folder) / name, checksums)
        except DatasetError as error:
            problems.append(str(error))
    if problems:
        raise DatasetError(
            f"The Fashion-MNIST copy in {folder} can't be used:\n  - "
            + "\n  - ".join(problems)
            + f"\nFix: put the four files {', '.join(FILES)} there again (for Debian's "
            f"copy: `apt-get install --reinstall {DEBIAN_PACKAGE}`), or unset {ENV_VAR} "
            "to use another source."
        )


def seed_keras_cache(
    sources: list[Path] | None = None,
    cache_dir: Path | None = None,
    checksums: dict[str, str] = CHECKSUMS,
) -> Path | None:
    """Make ``keras.datasets.fashion_mnist.load_data()`` work offline.

    Copies the four files from the first local source that exists into Keras'
    cache, after checking them.  Files already in the cache are checked too,
    and replaced from the local source when they are bad.  Returns the source
    used, or ``None`` when there is no local copy (Keras will then download).

    A ``$FASHION_MNIST_DIR`` that is set but missing, or a local copy with a
    bad file, raises :class:`DatasetError`: a source you named is never
    silently skipped.

    Args:
        sources: folders that may hold the four files (default: ``FASHION_MNIST_DIR``,
            then Debian's ``/usr/share/datasets/fashion-mnist``).
        cache_dir: Keras' cache folder (default: ``~/.keras/datasets/fashion-mnist``).
        checksums: the SHA-256 of each file's decompressed content.
    """
    cache_dir = Path(cache_dir) if cache_dir is not None else keras_cache_dir()
    if sources is None:
        sources = local_sources()
        named = os.environ.get(ENV_VAR)
        if named and not Path(named).expanduser().is_dir():
            raise DatasetError(
                f"{ENV_VAR} is set to {named}, but there is no such folder. Point it at "
                f"the folder holding {', '.join(FILES)}, or unset it."
            )
    source = next((Path(s) for s in sources if Path(s).is_dir()), None)
    verified = _Verified(cache_dir)
    try:
        return _seed(source, cache_dir, checksums, verified)
    finally:
        verified.save()


def _seed(source: Path | None, cache_dir: Path, checksums: dict[str, str],
          verified: _Verified) -> Path | None:
    cached_ok = True
    for name in FILES:
        try:
            verified.check(cache_dir / name, checksums)
        except DatasetError:
            cached_ok = False
            break
    if source is None:
        if not cached_ok:
            # Keras will download the missing files; a bad one it would trust.
            for name in FILES:
                target = cache_dir / name
                if target.exists():
                    verified.check(target, checksums)
        return None

    check_source(source, checksums, verified)
    if cached_ok:
        return source
    cache_dir.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        target = cache_dir / name
        # mode: a temporary file is private; Keras' own downloads are readable
        copy_atomic(source / name, target, mode=0o644)
    return source


def load_data():
    """The tutorial's ``fashion_mnist.load_data()``, offline when a local copy exists."""
    seed_keras_cache()
    import keras

    return keras.datasets.fashion_mnist.load_data()


@functools.cache
def cached_load_data():
    """:func:`load_data` once per process, as read-only arrays (for the test suites)."""
    (train_images, train_labels), (test_images, test_labels) = load_data()
    arrays = (train_images, train_labels, test_images, test_labels)
    for array in arrays:
        array.flags.writeable = False
    return (train_images, train_labels), (test_images, test_labels)
