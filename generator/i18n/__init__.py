"""The language of what the command line says: Simplified Chinese by default, English on request.

The code writes its messages in English; they are the msgids of one gettext-style
catalogue (``zh_CN.po`` beside this file). Diagnostics keep their English text
and their code while the build runs (the build cache and the tests read them);
they are translated once, where they are shown: the command line's output, the
``serve`` overlay. ``tests/test_i18n.py`` reads the source for every message and
fails when the catalogue lacks one, so a new message cannot stay English by
oversight; a message with no entry is shown in English, never an error.

Which language (:func:`choose`): ``--lang`` when given; else the locale
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``, the first one set): a Chinese locale
(``zh…``) or none at all, ``C`` or ``POSIX`` (a server, a container) gives
Chinese, any other language English.
"""

from __future__ import annotations

import os
from dataclasses import replace
from functools import lru_cache
from typing import Mapping

# No import of ``errors``: it imports this module to format diagnostics.

CHINESE = "zh-CN"
ENGLISH = "en"
LANGUAGES = (CHINESE, ENGLISH)
DEFAULT = CHINESE

#: How a diagnostic is labelled, per language: level words and the hint's lead-in.
_LABELS = {
    CHINESE: {"error": "错误", "warning": "警告", "hint": "提示：", "sep": "："},
    ENGLISH: {"error": "error", "warning": "warning", "hint": "hint: ", "sep": ": "},
}


def language(text: str) -> str | None:
    """``zh``, ``zh_CN.UTF-8``, ``zh-Hans`` → zh-CN; ``en``, ``en_US`` → en; anything else → None."""
    tag = text.strip().replace("_", "-").split(".")[0].split("@")[0].lower()
    if tag == "zh" or tag.startswith(("zh-cn", "zh-hans", "zh-sg")):
        return CHINESE
    if tag == "en" or tag.startswith("en-"):
        return ENGLISH
    return None


def from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language of the locale: Chinese unless the locale names another language."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").strip()
        if value:
            if value in ("C", "POSIX") or value.startswith(("C.", "POSIX.")):
                return DEFAULT
            return CHINESE if value.lower().startswith("zh") else ENGLISH
    return DEFAULT


def choose(option: str | None, environ: Mapping[str, str] | None = None) -> str:
    """``--lang`` if given (already checked by :func:`language`), else the locale's."""
    return option if option else from_environment(environ)


@lru_cache(maxsize=None)
def compiled(lang: str):
    """The compiled catalogue of ``lang``; ``None`` for English, the language of the msgids."""
    if lang == ENGLISH:
        return None
    from .catalogue import CATALOGUE_PATH, Catalogue

    return Catalogue.load(CATALOGUE_PATH)


def translate(text: str, lang: str) -> str:
    """``text`` in ``lang``; unchanged when the catalogue has no entry for it."""
    cat = compiled(lang)
    if cat is None or not text:
        return text
    return cat.translate(text) or text


def translated(d, lang: str):
    """The diagnostic with its message and hint in ``lang`` (path, line, level and code unchanged)."""
    if compiled(lang) is None:
        return d
    return replace(d, message=translate(d.message, lang), hint=translate(d.hint, lang))


def label(word: str, lang: str) -> str:
    """``error``, ``warning``, ``hint`` or ``sep`` as ``lang`` writes them."""
    return _LABELS.get(lang, _LABELS[ENGLISH])[word]
