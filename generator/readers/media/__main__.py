"""``python -m generator.readers.media FILE…``: check files by hand and print what a build would report.

A debugging aid, separate so that importing the package never defines a command line.
"""

from __future__ import annotations

from pathlib import Path

from .check import check_media
from .results import Problem
from .webvtt import read_webvtt


def _main(argv: list[str]) -> int:  # pragma: no cover - a debugging aid: python -m generator.readers.media FILE…
    status = 0
    for arg in argv:
        if Path(arg).suffix.lower() == ".vtt":
            cues, problems = read_webvtt(arg)
            print(f"{arg}: {len(cues)} cue(s)")
            for p in problems:
                print(f"{arg}:{p.line}: {p.level}: {p.message}\n    hint: {p.hint}")
                status = status or int(p.level == "error")
            continue
        result = check_media(arg)
        if isinstance(result, Problem):
            print(f"{arg}: {result.level}: {result.message}\n    hint: {result.hint}")
            status = 1
        else:
            print(f"{arg}: {result}")
    return status


if __name__ == "__main__":  # pragma: no cover
    import sys

    raise SystemExit(_main(sys.argv[1:]))
