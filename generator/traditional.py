"""The 繁體 mirror's settings (site.yaml ``traditional:``) and the script conversion it uses.

The mirror is the whole site rendered a second time under a path prefix, its
text converted from Simplified to Traditional characters with OpenCC (the
official binding, ``opencc`` on PyPI). Conversion is character-level with
OpenCC's phrase tables for the one-to-many characters (发 → 發/髮); the
Taiwan and Hong Kong variants only change the character forms (裏 → 裡), never
the vocabulary: OpenCC's ``s2twp`` would rewrite official terms (信息 → 資訊,
视频 → 影片), which a government text must not.

Language tags: which ones count as Simplified or Traditional Chinese, for the
theme's UI strings and for the mirror's conversion of marked parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .schema import Boolean, Choice, Field, Schema, Text

#: variant → (OpenCC configuration, language tag of the mirror's pages, label).
VARIANTS = {
    "standard": ("s2t", "zh-Hant", "OpenCC standard Traditional characters"),
    "tw": ("s2tw", "zh-Hant-TW", "Taiwan character forms"),
    "hk": ("s2hk", "zh-Hant-HK", "Hong Kong character forms"),
}

TRADITIONAL_SCHEMA = Schema("traditional", [
    Field("enabled", "enabled", Boolean(), default=False,
          doc="Publish a Traditional Chinese (繁體) mirror of the whole site beside the Simplified one, with a "
              "简/繁 switch on every page.", example="true"),
    Field("variant", "variant", Choice(tuple(VARIANTS)), default="standard",
          doc="Character forms: `standard` (OpenCC's, page language zh-Hant), `tw` (zh-Hant-TW) or `hk` "
              "(zh-Hant-HK). Only characters change, never the vocabulary.", example="tw"),
    Field("path", "path", Text(pattern=r"[a-z0-9][a-z0-9-]*", pattern_label="a URL segment (a-z, 0-9, '-')"),
          default="zh-hant", doc="The folder of the mirror: the Traditional version of `a/b/` is `<path>/a/b/`.",
          example="zh-hant"),
])


@dataclass(frozen=True)
class Mirror:
    """The mirror as the build uses it (None in SiteConfig when it is off)."""

    variant: str
    path: str

    @property
    def prefix(self) -> str:
        return self.path + "/"

    @property
    def lang(self) -> str:
        return VARIANTS[self.variant][1]

    @property
    def digest(self) -> str:
        """What the converted text depends on besides the page: part of every mirror page's cache key."""
        import opencc

        return f"{self.variant}:{self.path}:opencc-{opencc.__version__}"


def mirror_of(values: dict | None) -> Mirror | None:
    """The validated ``traditional:`` section as a :class:`Mirror`, or None when the mirror is off."""
    if not values or not values.get("enabled"):
        return None
    return Mirror(values["variant"], values["path"])


def is_traditional(tag: str) -> bool:
    tag = tag.lower()
    return tag.startswith(("zh-hant", "zh-tw", "zh-hk", "zh-mo"))


def is_simplified(tag: str) -> bool:
    tag = tag.lower()
    return tag in ("zh", "zh-cn", "zh-sg", "zh-my") or tag.startswith(("zh-hans", "zh-cn-", "zh-sg-"))


@lru_cache(maxsize=4)
def _opencc(config: str):
    import opencc  # a compiled extension: imported only when a mirror is built

    return opencc.OpenCC(config)


#: Joins the pieces of one page for a single OpenCC call: a private-use character, which no phrase contains.
SEPARATOR = "\ue000"


def written_in_traditional(pieces: list[str]) -> list[bool]:
    """Whether each piece has characters only Traditional writes (OpenCC's t2s changes it): text left as
    written because it is Traditional, not Simplified text inside an element marked Traditional."""
    cc = _opencc("t2s")
    if not pieces:
        return []
    simplified = cc.convert(SEPARATOR.join(pieces)).split(SEPARATOR)
    if len(simplified) != len(pieces):  # a separator inside a piece (never in generated text): one call each
        simplified = [cc.convert(p) for p in pieces]
    return [s != p for s, p in zip(simplified, pieces)]


def converter(variant: str):
    """A function converting a list of strings to the variant's Traditional forms in one OpenCC call."""
    cc = _opencc(VARIANTS[variant][0])

    def convert(pieces: list[str]) -> list[str]:
        if any(SEPARATOR in p for p in pieces):  # never in generated text; then one call each
            return [cc.convert(p) for p in pieces]
        return cc.convert(SEPARATOR.join(pieces)).split(SEPARATOR) if pieces else []

    return convert
