"""The Jinja environment of a theme: filters, URL helpers, UI strings, theme errors.

Templates only present: every decision (which notice, which column is home,
what a list contains) is made in :mod:`generator.structure`. The helpers here
are formatting: dates, sizes, relative URLs and the translation of the theme's
own UI strings for Traditional Chinese pages.
"""

from __future__ import annotations

import datetime as dt
import traceback
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import jinja2
import yaml

from ..documents.base import book_title
from ..errors import ThemeError
from ..traditional import is_traditional

_URL_SAFE = "/#?=&%.-_~!$'()*+,;:@"


def relative_url(from_url: str, to_url: str) -> str:
    """Link from the page at ``from_url`` to ``to_url``; both are site-relative (``a/b/``, ``feed.xml``).

    Relative links keep the output portable: it works under any base path and
    from a file system. Called for every link of every page, so it works on
    path segments directly instead of through ``posixpath.relpath``.
    """
    path, _, fragment = to_url.partition("#")
    from_dirs = from_url.split("/")[:-1]  # "a/b/" → [a, b]; "a/x.html" → [a]; "" → []
    to_parts = path.split("/")  # "c/d/" → [c, d, ""]; "static/x.css" → [static, x.css]
    common = 0
    limit = min(len(from_dirs), len(to_parts) - 1)
    while common < limit and from_dirs[common] == to_parts[common]:
        common += 1
    rel = "../" * (len(from_dirs) - common) + "/".join(to_parts[common:])
    if not rel:
        rel = "./"
    elif ":" in rel.split("/", 1)[0]:
        rel = "./" + rel  # a first segment with a colon would be read as a scheme (javascript:…)
    out = _quote(rel)
    return out + ("#" + _quote(fragment) if fragment else "")


@lru_cache(maxsize=8192)
def _quote(text: str) -> str:
    return quote(text, safe=_URL_SAFE)


def site_target(page, target: str, mirrored: frozenset[str]) -> str:
    """Where a link to the site URL ``target`` goes from ``page``: on a page of the 繁體 mirror, to the
    target's twin in the mirror when it has one (pages do; static files, attachments and data files don't)."""
    if not page.mirror:
        return target
    path = target.partition("#")[0].partition("?")[0]
    return page.mirror + target if path in mirrored else target


def date_iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def date_cn(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def filesize(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB" if n >= 10 * 1024 else f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def _catalogue(theme_dir: Path) -> dict[str, dict[str, str]]:
    out = {}
    locales = theme_dir / "locales"
    if locales.is_dir():
        for f in sorted(locales.glob("*.yaml")):
            try:
                data = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as e:
                mark = getattr(e, "problem_mark", None)
                raise ThemeError(f"invalid YAML in theme strings: {e}", str(f), mark.line + 1 if mark else 0)
            if not isinstance(data, dict):
                raise ThemeError("theme strings must be a mapping of 简体 text → translation", str(f), 1)
            out[f.stem.lower()] = {str(k): str(v) for k, v in data.items()}
    return out


def make_environment(theme_dir: Path, base_path: str, mirrored: frozenset[str] = frozenset(),
                     compiled: Path | None = None) -> jinja2.Environment:
    """The theme's environment; ``mirrored``: the URLs of the pages that have a twin in the 繁體 mirror;
    ``compiled``: a folder to keep compiled templates in between builds."""
    templates = theme_dir / "templates"
    if not templates.is_dir():
        raise ThemeError(f"theme has no templates folder: {templates}", str(theme_dir),
                         hint="pass --theme DIR pointing at a theme such as themes/default")
    bytecode = None
    if compiled is not None:
        try:
            compiled.mkdir(exist_ok=True)
            bytecode = jinja2.FileSystemBytecodeCache(str(compiled))
        except OSError:  # no place to keep them: compiled again, as without a cache
            pass
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: no need to stat every template at every include
        bytecode_cache=bytecode,
    )
    catalogue = _catalogue(theme_dir)

    @jinja2.pass_context
    def url(ctx, target: str, exact: bool = False) -> str:
        """The link from this page to ``target``; ``exact``: to that very URL, not its twin in the mirror."""
        page = ctx["page"]
        if not exact:
            target = site_target(page, target, mirrored)
        if page.absolute_links:  # 404.html is served at any path
            return quote(base_path + target, safe=_URL_SAFE)
        return relative_url(page.url, target)

    @jinja2.pass_context
    def translate(ctx, text: str, lang: str | None = None) -> str:
        """The theme's string in the language of where it stands: ``lang``, or ``ui_lang`` where a template
        sets it (the site's navigation on a page in another language), or the page's; on the mirror, always
        in Traditional."""
        page = ctx["page"]
        if page.mirror or is_traditional(str(lang or ctx.get("ui_lang") or page.lang)):
            return catalogue.get("zh-hant", {}).get(text, text)
        return text

    env.globals.update(url=url, _=translate)
    env.filters.update(date_iso=date_iso, date_cn=date_cn, filesize=filesize, book_title=book_title)
    return env


def theme_error(exc: BaseException, theme_dir: Path, template: str,
                require_frame: bool = False) -> ThemeError | None:
    """Locate a template failure at the template file and line where it happened."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return ThemeError(f"template syntax error: {exc.message}", exc.filename or template, exc.lineno or 0,
                          "fix the template syntax")
    if isinstance(exc, jinja2.TemplateNotFound):
        return ThemeError(f"template not found: {exc.name}", str(theme_dir / "templates"), 0,
                          "add the template to the theme, or fix the name in {% extends %}/{% include %}")
    root = str(theme_dir.resolve())
    path, line = str(theme_dir / "templates" / template), 0
    for frame in traceback.extract_tb(exc.__traceback__):
        if str(Path(frame.filename).resolve()).startswith(root):
            path, line = frame.filename, frame.lineno or 0
    if require_frame and not line:
        return None
    message = exc.message if isinstance(exc, jinja2.UndefinedError) else f"{type(exc).__name__}: {exc}"
    return ThemeError(f"error while rendering {template}: {message}", path, line,
                      "check the variable names the template uses against the README's theme reference")
