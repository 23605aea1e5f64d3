"""Policy interpretations (政策解读): text, image, video, audio and animation forms.

Each interpretation names the policy documents it interprets; the site graph
links both ways (三同步: a policy and its interpretation are published together
and link to each other). Image and video forms carry the accessibility
alternatives the form needs: alt text and a full text version for an
infographic, captions and a transcript for a video.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ...config import INDEX_DOC, SiteConfig
from ... import privacy
from ...errors import Report
from ...readers import media
from ...readers.markdown import RenderedBody
from ...readers.yaml_loader import Mapping, text_line
from ...schema import (Choice, ContentFile, Date, Field, ListOf, Located, Record, Reference, Schema, Scope, Text)
from ..base import render_part, start_markdown

#: Forms of a policy interpretation, in the order sub-columns and 相关解读 groups show them.
FORMS = ("文字", "图片", "视频", "音频", "动漫")
#: The eight elements of an interpretation (seed 004), rendered in this order when present.
SECTIONS = (
    ("出台背景", "background"), ("出台目的", "purpose"), ("核心举措", "measures"), ("适用对象", "audience"),
    ("执行标准", "standards"), ("关键词", "key_terms"), ("专业名词", "terminology"), ("新旧差异", "changes"),
)
#: Fields whose line breaks are kept as written (each line of an infographic, each turn of a speaker).
LINE_FIELDS = ("text_alternative", "transcript")
IMAGE_TYPES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif", ".webp": "webp"}
VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm"}
AUDIO_TYPES = {".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".oga": "audio/ogg",
               ".opus": "audio/ogg", ".wav": "audio/wav", ".webm": "audio/webm"}
CAPTION_TYPES = {".vtt": "text/vtt"}

QA_SCHEMA = Schema("a question and answer", [
    Field("问", "question", Text(), required=True, aliases=("question",), doc="The question.",
          example="哪些项目可以申请补助？"),
    Field("答", "answer", Text(multiline=True), required=True, aliases=("answer",), doc="The answer (Markdown).",
          example="市级以上非遗代表性项目……"),
])


def _form_rules(values, mapping, scope: Scope) -> bool:
    form = values["form"]
    line = lambda attr: INTERPRETATION_SCHEMA.line_of(mapping, attr)  # noqa: E731
    needs = {
        "图片": ("image", "alt", "text_alternative"),
        "视频": ("videos", "poster", "captions", "transcript"),
        "音频": ("audios", "transcript"),
    }
    allowed = {
        "文字": set(),
        "图片": {"image", "alt", "text_alternative"},
        "视频": {"videos", "poster", "captions", "transcript"},
        "音频": {"audios", "transcript"},
        "动漫": {"image", "alt", "text_alternative", "videos", "poster", "captions", "transcript"},
    }[form]
    required = needs.get(form, ())
    if form == "动漫":  # an animation is either an animated image or a video
        required = needs["视频"] if values["videos"] else needs["图片"]
    ok = True
    for attr in ("image", "alt", "text_alternative", "videos", "poster", "captions", "transcript", "audios"):
        present = bool(values[attr])
        key = INTERPRETATION_SCHEMA.field(attr).key
        if attr in required and not present:
            example = INTERPRETATION_SCHEMA.field(attr).example
            scope.error(line("form"), f"形式 {form} needs the field {key!r}",
                        f"add `{key}: {example}`" + _WHY.get(attr, ""), code="interpretation-form")
            ok = False
        elif present and attr not in allowed:
            scope.error(line(attr), f"{key!r} does not belong to an interpretation of 形式 {form}",
                        f"remove it, or change 形式 (allowed fields go with: {', '.join(FORMS)})",
                        code="interpretation-form")
            ok = False
    return ok


_WHY = {
    "alt": " — screen readers read it in place of the image",
    "text_alternative": " — the infographic's full content as text, for readers who cannot see it",
    "captions": " — a WebVTT captions file; deaf and hard-of-hearing readers need it",
    "transcript": " — the spoken content as text, shown on the page",
    "poster": " — the still image shown before the video plays",
}


INTERPRETATION_SCHEMA = Schema("interpretation front matter", [
    Field("标题", "title", Text(max_length=200), required=True, aliases=("title",),
          doc="Title of the interpretation.", example="一图读懂《江州市美术馆发展与管理办法》"),
    Field("形式", "form", Choice(FORMS), required=True, aliases=("form",), synonyms=("解读形式", "类型"),
          doc="文字, 图片, 视频, 音频 or 动漫; decides the sub-column and the required media fields.",
          example="图片"),
    Field("解读文件", "interprets", ListOf(Reference(), min_items=1), required=True, aliases=("interprets",),
          synonyms=("原文", "政策文件", "相关文件"),
          doc="The policy documents interpreted (file name or 索引号); each links back here.",
          example="[meishuguan-banfa-2023]"),
    Field("发布日期", "published", Date(), required=True, aliases=("published",), synonyms=("日期",),
          doc="Publication date; warned when more than 3 working days after the policy's.", example="2023-04-03"),
    Field("解读机构", "interpreter", Text(), required=True, aliases=("interpreter",), synonyms=("解读单位", "来源"),
          doc="The body that drafted the policy and interprets it (谁起草谁解读).",
          example="江州市文化和旅游局公共服务处"),
    Field("解读人", "person", Text(), aliases=("person",), doc="The official who interprets, if named.",
          example="局党组成员、副局长 李明"),
    Field("索引号", "index_no", Text(allow_numbers=True), aliases=("index_no",), synonyms=("索引",),
          required_by_site=True, doc=INDEX_DOC, example="11360400MB1C23456X/2023-00012"),
    Field("摘要", "summary", Text(multiline=True), default="", aliases=("summary",),
          doc="One or two sentences for lists and search engines.", example="图解美术馆办法的六个要点。"),
    Field("标签", "tags", ListOf(Choice("tags", "a tag from vocabularies.tags")), default=list, aliases=("tags",),
          doc="Tags from the tag catalogue.", example="[公共文化]"),
    *[Field(key, attr, Text(multiline=True), aliases=(attr,), doc=f"Section {key} (Markdown); shown in the fixed order of the eight elements.",
            example="……") for key, attr in SECTIONS],
    Field("简明问答", "qa", ListOf(Record(QA_SCHEMA, "a question and answer"), unique=False), default=list,
          aliases=("qa",), doc="Questions and answers: a list of `{问: …, 答: …}`.",
          example="[{问: 谁可以申请？, 答: 本市登记的美术馆。}]"),
    Field("图片", "image", ContentFile(IMAGE_TYPES, "an image path"), aliases=("image",),
          doc="The infographic (图片/动漫 forms): PNG, JPEG, GIF or WebP, checked by its bytes.",
          example="media/meishuguan-yitu.png"),
    Field("替代文本", "alt", Text(max_length=150), aliases=("alt",), synonyms=("alt文本", "图片说明"),
          doc="Short alternative text of the image (required with 图片).", example="美术馆发展与管理办法要点图解"),
    Field("文字版", "text_alternative", Text(multiline=True), aliases=("text_alternative",), synonyms=("文字说明",),
          doc="The infographic's full content as text (Markdown; required with 图片); shown on the page.",
          example="|\n  一、……"),
    Field("视频", "videos", ListOf(ContentFile(VIDEO_TYPES, "a video path")), default=list, aliases=("videos",),
          doc="Video files (视频/动漫): one or more formats of the same video (WebM, MP4).",
          example="[media/feiyi.webm]"),
    Field("封面", "poster", ContentFile(IMAGE_TYPES, "an image path"), aliases=("poster",),
          doc="Poster image shown before the video plays (required with 视频).", example="media/feiyi-poster.png"),
    Field("字幕", "captions", ContentFile(CAPTION_TYPES, "a WebVTT file"), aliases=("captions",),
          doc="Chinese captions as a WebVTT file (required with 视频).", example="media/feiyi.vtt"),
    Field("文字实录", "transcript", Text(multiline=True), aliases=("transcript",), synonyms=("文稿",),
          doc="Transcript of the video or audio (Markdown; required with 视频 and 音频).", example="|\n  主持人：……"),
    Field("音频", "audios", ListOf(ContentFile(AUDIO_TYPES, "an audio path")), default=list, aliases=("audios",),
          doc="Audio files (音频 form).", example="[media/feiyi.ogg]"),
    Field("语言", "language", Text(pattern=r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", pattern_label="a language tag"),
          aliases=("language",), doc="Language when it differs from the site's.", example="zh-Hant"),
    privacy.REVIEW_FIELD,
], rules=[_form_rules])


@dataclass(frozen=True)
class MediaFile:
    """A published media file: content-relative path, size, MIME type and (images) pixel size."""

    path: str
    size: int
    mime: str
    width: int = 0
    height: int = 0


@dataclass(frozen=True)
class Thumbnail:
    """A list-size copy of an infographic, written by the renderer at ``url``."""

    url: str
    source: str  # content-relative path of the full image
    width: int
    height: int


@dataclass(eq=False)
class Interpretation:
    id: str
    source: Path
    line: int
    lines: dict[str, int]
    title: str
    form: str
    refs: list[Located]
    published: dt.date
    interpreter: str
    person: str | None
    index_no: str | None
    summary: str
    tags: list[str]
    sections: list[tuple[str, RenderedBody]]
    qa: list[tuple[str, RenderedBody]]
    image: MediaFile | None
    alt: str | None
    text_alternative: RenderedBody | None
    videos: list[MediaFile]
    poster: MediaFile | None
    captions: MediaFile | None
    transcript: RenderedBody | None
    audios: list[MediaFile]
    language: str | None
    body: RenderedBody
    # --- filled by the site graph
    url: str = ""
    policies: list = field(default_factory=list)
    thumbnail: Thumbnail | None = None

    type_name = "interpretation"

    @property
    def sort_key(self) -> tuple:
        return (self.published, self.id)

    @property
    def year(self) -> int:
        return self.published.year

    @property
    def description(self) -> str:
        if self.summary:
            return self.summary
        for rendered in (self.body, self.text_alternative, self.transcript):
            if rendered is not None and rendered.text:
                return rendered.text[:100]
        return self.title

    def bodies(self) -> list[RenderedBody]:
        """Every rendered Markdown part, for link resolution and checks."""
        parts = [self.body, *(b for _, b in self.sections), *(b for _, b in self.qa)]
        return parts + [b for b in (self.text_alternative, self.transcript) if b is not None]


#: MIME types by kind of media: ``.webm`` is video/webm as a video and audio/webm as audio.
_MIME = {"image": {k: "image/" + v for k, v in IMAGE_TYPES.items()}, "video": VIDEO_TYPES, "audio": AUDIO_TYPES}
#: Infographics are long: their list thumbnail is cut to this box, keeping the aspect ratio.
THUMBNAIL_BOX = (320, 320)


def check_media(content_dir: Path, located: Located, kind: str, scope: Scope) -> MediaFile | None:
    """Check a referenced media file by its bytes; report it (and return None) when it would not open or play.

    Problems are located at the front-matter line naming the file; caption
    problems at their own line inside the ``.vtt`` file.
    """
    path = Path(content_dir) / located.value
    if kind == "captions":
        cues, problems = media.read_webvtt(path, located.value)
        for problem in problems:
            where, line = (path, problem.line) if problem.line else (scope.path, located.line)
            add = scope.report.error if problem.level == "error" else scope.report.warning
            add(where, line, problem.message, problem.hint, code="media")
        if any(p.level == "error" for p in problems):
            return None
        return MediaFile(located.value, path.stat().st_size, "text/vtt")
    checker = {"image": media.check_image, "video": media.check_video, "audio": media.check_audio}[kind]
    result = checker(path, located.value)
    if isinstance(result, media.Problem):
        add = scope.error if result.level == "error" else scope.warning
        add(located.line, result.message, result.hint, code="media")
        return None if result.level == "error" else MediaFile(located.value, path.stat().st_size,
                                                              _MIME[kind][path.suffix.lower()])
    for warning in result.warnings:
        scope.warning(located.line, warning.message, warning.hint, code="media")
    return MediaFile(located.value, result.size, _MIME[kind][path.suffix.lower()],
                     getattr(result, "width", 0) or 0, getattr(result, "height", 0) or 0)


def thumbnail_of(image: MediaFile, page_url: str) -> Thumbnail:
    """Where the list thumbnail of an infographic goes and its pixel size (the renderer writes it)."""
    scale = min(THUMBNAIL_BOX[0] / image.width, THUMBNAIL_BOX[1] / image.height, 1)
    suffix = ".jpg" if image.mime == "image/jpeg" else ".png"
    return Thumbnail(page_url + "thumbnail" + suffix, image.path, max(1, round(image.width * scale)),
                     max(1, round(image.height * scale)))


def read_interpretation(path: Path, config: SiteConfig, report: Report) -> Interpretation | None:
    """Read one interpretation; every problem goes to ``report``."""
    started = start_markdown(path, config, report, INTERPRETATION_SCHEMA)
    if started is None:
        return None
    source, values, body, scope = started.source, started.values, started.body, started.scope
    rendered = [body]  # every Markdown part: the files they link are published and screened too
    source_lines = source.text.splitlines()

    def finish(result: Interpretation | None) -> Interpretation | None:
        privacy.screen_content(path, source.text, source.meta, config, report, values=values, bodies=rendered)
        return result

    if not started.ok:
        return finish(None)
    lines = INTERPRETATION_SCHEMA.lines(source.meta)
    if values["form"] == "文字" and not body.html.strip():
        report.error(path, source.body_line, "a 文字 interpretation needs its text below the front matter",
                     "write the interpretation in Markdown after the closing '---'", code="empty-body")
        return finish(None)

    def markdown(attr: str) -> RenderedBody | None:
        text = values[attr]
        if not text:
            return None
        # A text version or transcript keeps the lines it was written in (a speaker's turn, a line of the image).
        part = render_part(text, path, config, text_line(source_lines, lines[attr]), report,
                           hard_breaks=attr in LINE_FIELDS)
        rendered.append(part)
        return part

    def media(located: Located | None, kind: str) -> MediaFile | None:
        if located is None:
            return None
        return check_media(config.content_dir, located, kind, scope)

    image = media(values["image"], "image")
    poster = media(values["poster"], "image")
    captions = media(values["captions"], "captions")
    videos = [media(v, "video") for v in values["videos"]]
    audios = [media(a, "audio") for a in values["audios"]]
    if None in (*videos, *audios) or (values["image"] and image is None) or \
            (values["poster"] and poster is None) or (values["captions"] and captions is None):
        return finish(None)
    qa = []
    qa_field = INTERPRETATION_SCHEMA.field("qa")
    raw_qa = next((source.meta[k] for k in (qa_field.key, *qa_field.aliases) if k in source.meta), [])
    raw_items = raw_qa if isinstance(raw_qa, list) else [raw_qa]  # one mapping is a one-item list
    for n, item in enumerate(values["qa"]):
        raw = raw_items[n] if n < len(raw_items) else None
        answer_line = QA_SCHEMA.line_of(raw, "answer") if isinstance(raw, Mapping) else lines["qa"]
        answer = render_part(item["answer"], path, config, text_line(source_lines, answer_line), report)
        rendered.append(answer)
        qa.append((item["question"], answer))
    return finish(Interpretation(
        id=path.stem, source=path, line=source.meta.line, lines=lines, title=values["title"], form=values["form"],
        refs=values["interprets"], published=values["published"], interpreter=values["interpreter"],
        person=values["person"], index_no=values["index_no"], summary=values["summary"], tags=values["tags"],
        sections=[(key, r) for key, attr in SECTIONS if (r := markdown(attr)) is not None],
        qa=qa, image=image, alt=values["alt"], text_alternative=markdown("text_alternative"),
        videos=videos, poster=poster, captions=captions, transcript=markdown("transcript"), audios=audios,
        language=values["language"], body=body,
    ))
