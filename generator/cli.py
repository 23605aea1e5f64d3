"""The command line: parse arguments, call a command, print diagnostics, set the exit code.

Exit codes: 0 success, 1 content (or theme/output) errors, 2 usage errors.
This is the only module that turns exceptions into exit codes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from .version import __version__
from . import i18n
from .commands.build import BuildOptions, build, check
from .commands.serve_args import add_arguments as add_serve_arguments
from .parallel import default_jobs
from .errors import ContentError, GeneratorError, Report, ThemeError


def _add_paths(p: argparse.ArgumentParser, output: bool = True, strict: bool = True) -> None:
    p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                   help="content folder with site.yaml (default: content/)")
    if output:
        p.add_argument("--output", type=Path, default=Path("output"), metavar="DIR",
                       help="where the site is written (default: output/)")
        p.add_argument("--theme", type=Path, default=Path("themes/default"), metavar="DIR",
                       help="theme folder (default: themes/default/)")
        p.add_argument("--allow-removal", action="store_true",
                       help="accept that published documents were removed, renumbered or moved since the last build")
    if strict:
        p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--jobs", "-j", type=int, default=default_jobs(), metavar="N",
                   help=f"worker processes for reading and rendering (default: all cores, {default_jobs()})")
    p.add_argument("--no-cache", action="store_true",
                   help="read and render everything, ignoring (and not updating) the build cache")
    p.add_argument("--today", type=_date, default=None, metavar="YYYY-MM-DD",
                   help="the build date that deadlines, open consultations and staleness are computed for "
                        "(default: today's local date)")
    add_lang_argument(p)


def add_lang_argument(p: argparse.ArgumentParser) -> None:
    """``--lang``: the language of every message, hint, progress line and summary (every command has it)."""
    p.add_argument("--lang", type=_lang, default=None, metavar="zh-CN|en",
                   help="language of the messages: zh-CN (简体中文) or en (default: from LC_ALL/LC_MESSAGES/LANG; "
                        "Chinese unless the locale is another language)")


def _lang(text: str) -> str:
    lang = i18n.language(text)
    if lang is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a language of the messages; use zh-CN or en")
    return lang


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD, e.g. 2026-12-07") from None


def _add_inspect_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--output", type=Path, default=Path("output"), metavar="DIR",
                   help="the output folder; the report goes beside it, in inspection/ (default: output/)")
    p.add_argument("--report", type=Path, default=None, metavar="DIR",
                   help="where to write index.html and report.json (default: inspection/ beside --output)")
    p.add_argument("--fail-on", choices=("error", "warning"), default="error",
                   help="exit 1 when a finding of this severity (or worse) is found (default: error)")
    p.add_argument("--confirm-media", action="store_true",
                   help="record the current media files as checked (after checking their texts against them)")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m generator",
                                description="Build a government information disclosure site from content/.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    b = sub.add_parser("build", help="validate the content and build the site")
    _add_paths(b)
    s = sub.add_parser("serve", help="build, serve on 127.0.0.1, rebuild and reload the browser on every change")
    _add_paths(s)
    add_serve_arguments(s)
    c = sub.add_parser("check", help="validate the content, write nothing")
    _add_paths(c, output=False)
    i = sub.add_parser("inspect", help="self-inspection: write a report of every finding beside the output")
    _add_paths(i, output=False, strict=False)  # --fail-on says which findings fail it
    _add_inspect_arguments(i)
    n = sub.add_parser("new", help="start a new content file with every field explained")
    n.add_argument("type", metavar="TYPE", help="kind of content: a type with a template, e.g. policy, "
                   "interpretation, institution (a wrong name lists them all)")
    n.add_argument("title", help="title of the new document")
    n.add_argument("--content", type=Path, default=Path("content"), metavar="DIR")
    n.add_argument("--slug", help="file name without .md (default: year and serial of its 索引号)")
    n.add_argument("--today", type=_date, default=None, metavar="YYYY-MM-DD",
                   help="the date written into the file and whose year numbers its 索引号 (default: today)")
    f = sub.add_parser("fill-index", help="write the next free 索引号 into every document that has none, in place")
    f.add_argument("--content", type=Path, default=Path("content"), metavar="DIR")
    f.add_argument("--dry-run", action="store_true", help="print the numbers, change no file")
    add_lang_argument(n)
    add_lang_argument(f)
    return p


def _fill_index(args, lang: str) -> int:
    from .commands.fill_index import fill_index
    from .errors import display_path

    done, report = fill_index(args.content, dry_run=args.dry_run)
    _print_report(report, lang)
    for path, line, number in done:
        print(i18n.translate(f"{display_path(path)}:{line}: 索引号: {number}", lang))
    verb = "would write" if args.dry_run else "wrote"
    print(i18n.translate(f"{verb} {len(done)} 索引号" if done else "every document that can be read has its 索引号",
                         lang))
    return 1 if report.errors else 0


def _print_report(report: Report, lang: str) -> None:
    for d in report.sorted():
        print(d.format(lang), file=sys.stderr)


def _inspect(args, lang: str) -> int:
    from .commands.inspect import InspectOptions, inspect

    result, paths = inspect(InspectOptions(content_dir=args.content, output_dir=args.output, report_dir=args.report,
                                           fail_on=args.fail_on, today=args.today, jobs=args.jobs,
                                           use_cache=not args.no_cache, confirm_media=args.confirm_media,
                                           progress=True))
    for f in result.findings:  # laid out and translated like a diagnostic (Diagnostic.format)
        where = f"{f.path}:{f.line}" if f.line else f.path
        lines = [f"{where}: {i18n.label(f.severity, lang)}{i18n.label('sep', lang)}[{f.rule}] "
                 + i18n.translate(f.message, lang)]
        if f.hint:
            lines.append(f"    {i18n.label('hint', lang)}" + i18n.translate(f.hint, lang))
        print("\n".join(lines), file=sys.stderr)
    counts = result.counts
    print(i18n.translate(f"inspection {'failed' if result.failed else 'passed'} for {result.today}: "
                         f"{counts['error']} error(s), {counts['warning']} warning(s); report: {paths[1]} and {paths[0]}",
                         lang))
    return 1 if result.failed else 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    lang = i18n.choose(args.lang)

    def say(text: str, error: bool = False) -> None:
        print(i18n.translate(text, lang), file=sys.stderr if error else sys.stdout)

    try:
        if args.command == "new":
            from .commands.new import new

            path = new(args.type, args.title, args.content, args.slug, args.today)
            say(f"created {path}")
            return 0
        if args.command == "fill-index":
            return _fill_index(args, lang)
        if args.command == "inspect":
            return _inspect(args, lang)
        if args.command == "serve":
            from .commands.serve import options_from_args, serve

            return serve(options_from_args(args, lang))  # Ctrl-C/SIGTERM end it with 0; a busy port is a UsageError
        options = BuildOptions(content_dir=args.content, strict=args.strict, jobs=args.jobs,
                               use_cache=not args.no_cache, progress=True, today=args.today, lang=lang)
        if args.command == "check":
            result = check(options)
            _print_report(result.report, lang)
            say(f"check passed: {len(result.site.policies)} documents, {result.report.summary()}")
            return 0
        options.output_dir, options.theme_dir = args.output, args.theme
        options.allow_removal = args.allow_removal
        result = build(options)
        _print_report(result.report, lang)
        for line in result.accepted:
            say(f"accepted with --allow-removal: {line}")
        built = (f"built {options.output_dir}: {result.written} pages written, {result.reused} reused, "
                 f"{result.read} files read, {len(result.report.warnings)} warning(s), {result.seconds:.2f} s")
        say(f"{built}; nothing changed" if result.unchanged else built)
        return 0
    except ContentError as e:
        _print_report(e.report, lang)
        why = f"warnings are errors under --strict; {e.report.summary()}" if e.strict and not e.report.errors \
            else e.report.summary()
        say(f"build failed: {why}; nothing was written" if args.command == "build"
            else f"check failed: {why}; nothing was written", error=True)
        return e.exit_code
    except ThemeError as e:
        print(e.diagnostic.format(lang), file=sys.stderr)
        say("build failed: theme error; nothing was written" if args.command == "build"
            else "check failed: theme error; nothing was written", error=True)
        return e.exit_code
    except GeneratorError as e:
        say(f"error: {e}", error=True)
        return e.exit_code
    except OSError as e:  # the machine, not the content: a full disk, a file where a folder should be
        say(f"error: {e.strerror or e}: {e.filename}" if e.filename else f"error: {e.strerror or e}", error=True)
        return 1
    except KeyboardInterrupt:
        say("interrupted; nothing was written", error=True)
        return 130
