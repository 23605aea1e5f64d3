"""Link rules: anchors that do not exist, media files that changed since they were checked.

Dead anchors. A link ``other.md#第三条`` or ``#第三条`` builds without a word
whether or not the heading exists (the reader only knows files); here every
fragment is held to the ``id`` attributes of the target's rendered HTML — read
from :class:`~generator.readers.markdown.RenderedBody` ``.html``, not from the
converter, so any Markdown converter serves. A download that does not work is
a 扣分 item of the national check (gov-requirements.md C8, S19); a dead anchor
is the same failure inside a page.

Changed media. An image's 替代文本, a video's captions and 文字实录 are written
for one file; when the file is replaced they may describe something else
(GB/T 37668: text alternatives must match, gov-requirements.md E5). The build
checks each file's format on every read but cannot know what a person checked.
So the inspection records, in ``media-state.json`` in its report folder (beside
the output, never published), the digest of every media file the site
publishes: the first inspection records a baseline; a file whose bytes differ
from the recorded digest is a finding at every inspection until the webmaster,
having checked the file against its texts, runs ``inspect --confirm-media``.
New files are recorded as they appear (the build has just checked them).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from ..cache import file_digest
from .registry import WARNING, Context, lines_of, rule

_ID_RE = re.compile(r'\sid="([^"]*)"')
_SAME_PAGE_RE = re.compile(r'\shref="#([^"]*)"')
MEDIA_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".mp4", ".webm", ".mp3", ".m4a", ".ogg",
                            ".oga", ".opus", ".wav", ".vtt"})
STATE_FILE = "media-state.json"


def anchors(doc) -> set[str]:
    """Every id a document's rendered parts carry (headings, table headers; report sections)."""
    ids = {html.unescape(m.group(1)) for body in doc.bodies() for m in _ID_RE.finditer(body.html)}
    ids.update(s.id for s in getattr(doc, "sections", ()) if getattr(s, "id", ""))
    return ids


def _line_of_fragment(doc, fragment: str) -> int:
    written = {f"#{fragment}", f"#{html.escape(fragment)}"}
    for number, text in lines_of(doc.source):
        if any(w in text for w in written):
            return number
    return doc.line


@rule("dead-anchor", "链接指向不存在的锚点",
      "链接和附件须可用：附件无法下载属扣分项（全国政府网站普查评分表，gov-requirements.md C8、S19）；"
      "指向不存在锚点的链接同样不可用",
      ("C8",), WARNING, summary="a link to `other.md#nope` or `#nope` whose heading does not exist")
def dead_anchors(ctx: Context):
    site = ctx.site
    root = ctx.config.content_dir
    by_source = {d.source.relative_to(root).as_posix(): d for d in site.documents}
    ids: dict[int, set[str]] = {}

    def anchors_of(doc) -> set[str]:
        if id(doc) not in ids:
            ids[id(doc)] = anchors(doc)
        return ids[id(doc)]

    for doc in site.documents:
        for body in doc.bodies():
            for ref in body.links:
                target = by_source.get(ref.target)
                if ref.kind != "page" or not ref.fragment or target is None:
                    continue
                fragment = unquote(ref.fragment)
                if fragment not in anchors_of(target):
                    yield ctx.finding("dead-anchor", doc.source, ref.line,
                                      f"链接 {ref.target}#{fragment} 指向的锚点在该文件中不存在",
                                      "核对小标题的文字（锚点即小标题），或删去“#”后面的部分")
            for m in _SAME_PAGE_RE.finditer(body.html):
                fragment = unquote(html.unescape(m.group(1)))
                if fragment and fragment not in anchors_of(doc):
                    yield ctx.finding("dead-anchor", doc.source, _line_of_fragment(doc, fragment),
                                      f"页内链接 #{fragment} 指向的锚点不存在",
                                      "核对小标题的文字（锚点即小标题），或删去该链接")


def media_files(site) -> dict[str, object]:
    """Every media file the site publishes (content-relative path) → the first document publishing it."""
    out: dict[str, object] = {}
    for t in site.config.types:
        for doc in site.library.get(t.name, []):
            paths = [*t.assets(doc), *(ref.target for body in doc.bodies() for ref in body.links
                                       if ref.kind == "asset")]
            for rel in paths:
                if PurePosixPath(rel).suffix.lower() in MEDIA_SUFFIXES:
                    out.setdefault(rel, doc)
    return dict(sorted(out.items()))


def load_state(folder: Path | None) -> dict | None:
    """The recorded digests (``{path: {"digest", "checked"}}``), or None before the first inspection."""
    if folder is None:
        return None
    try:
        data = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    return files if isinstance(files, dict) else None


def next_state(ctx: Context, state: dict | None) -> dict:
    """What the state file holds after this inspection (changed files keep their old record unless confirmed)."""
    root = ctx.config.content_dir
    out = {}
    for rel in media_files(ctx.site):
        digest = file_digest(root / rel)
        old = (state or {}).get(rel)
        keep = isinstance(old, dict) and old.get("digest") != digest and not ctx.confirm_media
        out[rel] = old if keep else {"digest": digest, "checked": ctx.today.isoformat()}
    return out


def write_state(folder: Path, files: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / STATE_FILE).write_text(json.dumps({"version": 1, "files": files}, ensure_ascii=False, indent=1)
                                     + "\n", encoding="utf-8")


@rule("media-changed", "媒体文件更换后未复核",
      "图片、音视频的替代文本、字幕和文字实录须与文件一致（GB/T 37668-2019，gov-requirements.md E5）",
      ("E5",), WARNING, summary="a published image, audio, video or caption file whose bytes changed since "
                                "the last `inspect --confirm-media`")
def changed_media(ctx: Context):
    state = load_state(ctx.state_dir)
    if state is None:
        ctx.notes.append("首次检查：已记录媒体文件的摘要，此后更换的文件将被列出。")
        return
    if ctx.confirm_media:
        ctx.notes.append("已按 --confirm-media 确认全部媒体文件：更换过的文件已重新记录。")
        return
    root = ctx.config.content_dir
    for rel, doc in media_files(ctx.site).items():
        old = state.get(rel)
        if not isinstance(old, dict) or old.get("digest") == file_digest(root / rel):
            continue
        name = PurePosixPath(rel).name
        line = next((n for n, text in lines_of(doc.source) if name in text), doc.line)
        yield ctx.finding("media-changed", doc.source, line,
                          f"{rel} 自{old.get('checked', '上次检查')}核对后已更换",
                          "核对替代文本、字幕、文字实录是否仍与新文件一致，然后运行 "
                          "`python -m generator inspect --confirm-media`")
