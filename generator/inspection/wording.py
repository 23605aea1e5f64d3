"""错敏字: misspelt official names and terms, at their line, in every content file and site.yaml.

Serious misspellings (a leader's name, an official title) are a veto item of
the national check (gov-requirements.md I5, S19). The word list is
``inspection.words`` (wrong → right) plus, unless ``default_words: false``,
:data:`~generator.inspection.settings.DEFAULT_WORDS`. A hit inside an
occurrence of the right word is not one, so an entry whose wrong word is part of its right word
does not hit every correct use.
"""

from __future__ import annotations

from .registry import ERROR, Context, lines_of, rule


def _hits(text: str, wrong: str, right: str):
    covered = set()
    start = text.find(right)
    while start >= 0:
        covered.update(range(start, start + len(right)))
        start = text.find(right, start + 1)
    start = text.find(wrong)
    while start >= 0:
        if start not in covered:
            yield start
        start = text.find(wrong, start + 1)


@rule("wording", "错敏字", "国办秘函〔2019〕19号《政府网站检查指标》：严重错别字（gov-requirements.md I5，S19）",
      ("I5",), ERROR, summary="a word of the 错敏字 list (inspection.words and the defaults), each hit at its line")
def misspellings(ctx: Context):
    words = ctx.settings.words
    if not words:
        return
    files = [(ctx.config.path, (ctx.settings.line, ctx.settings.end_line))]
    files += [(doc.source, (0, -1)) for doc in ctx.site.documents]
    for path, (skip_from, skip_to) in dict(files).items():
        for number, text in lines_of(path):
            if skip_from <= number <= skip_to:
                continue  # the word list itself
            for wrong, (right, _) in words.items():
                if any(True for _ in _hits(text, wrong, right)):
                    yield ctx.finding("wording", path, number, f"“{wrong}”应为“{right}”",
                                      f"改为“{right}”；确属正确用法的，从 site.yaml inspection.words 中删去该词（默认词表："
                                      "`default_words: false`）")
