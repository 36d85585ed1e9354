"""The language of what the ``kata`` command prints: gettext catalogues, chosen at run time.

Messages are written in English in the code and wrapped in :func:`_`; their
translations live in ``kata/locale/<lang>/LC_MESSAGES/kata.po`` (compiled to
``kata.mo`` beside it, which ships as package data).  The language is, in
order: the command's ``--lang``, the ``KATA_LANG`` environment variable, the
locale (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``); a language
without a catalogue falls back to English.  ``kata/locale/README.md`` says
how to add a message or a language.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "kata"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANG_ENV = "KATA_LANG"
LANGUAGES = ["en", "zh_CN"]
"""The languages the command speaks (English is the messages themselves)."""

_chosen: list[gettext.NullTranslations] = []  # the translation :func:`use` chose, once chosen


def normalize(lang: str) -> str:
    """A language as gettext names its folders: ``zh-CN``, ``zh_cn`` → ``zh_CN``; ``zh`` → ``zh_CN``.

    Args:
        lang: a language tag as a person types it.

    Returns:
        The catalogue's name (unknown languages are returned as typed).

    Example:
        >>> normalize("zh-cn")
        'zh_CN'
    """
    tag = lang.strip().split(".")[0].replace("-", "_")
    if tag.lower() in ("zh", "zh_cn", "zh_hans", "zh_hans_cn"):
        return "zh_CN"
    if "_" in tag:
        head, tail = tag.split("_", 1)
        return f"{head.lower()}_{tail.upper()}"
    return tag.lower()


def translation(lang: str | None = None) -> gettext.NullTranslations:
    """The catalogue for ``lang``, or for ``KATA_LANG`` and the locale when ``lang`` is ``None``.

    Args:
        lang: a language (``zh_CN``, ``zh-CN``, ``en``), or ``None``.

    Returns:
        The translations; English (the messages as written) when there is no catalogue.
    """
    lang = lang or os.environ.get(LANG_ENV) or None
    languages = [normalize(lang)] if lang else None  # None: gettext reads the locale variables
    if languages is None:
        for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
            if value := os.environ.get(name):
                languages = [normalize(part) for part in value.split(":") if part]
                break
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=languages or ["en"], fallback=True)


def use(lang: str | None = None) -> gettext.NullTranslations:
    """Choose the language of this process's messages (the ``kata`` command calls it once).

    Args:
        lang: as :func:`translation`.

    Returns:
        The translations now in use.
    """
    _chosen[:] = [translation(lang)]
    return _chosen[0]


def _(message: str) -> str:
    """``message`` in the chosen language (see :func:`use`); English when it has no translation.

    Example:
        >>> use("zh_CN") and _("Every lesson has full points. Well done!")  # doctest: +SKIP
        '每一课都得了满分，做得好！'
    """
    if not _chosen:
        use()
    return _chosen[0].gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction and return it untranslated (for tables built at import time).

    Translate it where it is shown, with :func:`translate`.

    Example:
        >>> N_("A division by zero: check the value of the divisor.")
        'A division by zero: check the value of the divisor.'
    """
    return message


def translate(message: str) -> str:
    """A message marked with :func:`N_`, in the chosen language (``_`` for a message held in a variable)."""
    if not _chosen:
        use()
    return _chosen[0].gettext(message)


def language() -> str:
    """The chosen language's catalogue name (``zh_CN``), or ``en`` when the messages stay English.

    The grader passes it to every lesson run as ``KATA_LANG``.
    """
    if not _chosen:
        use()
    return _chosen[0].info().get("language", "en") or "en"


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message, by ``n``, in the chosen language."""
    if not _chosen:
        use()
    return _chosen[0].ngettext(singular, plural, n)
