"""The floor: only read every content file, parse its YAML and convert its Markdown, on one core.

    python tests/benchmark/floor.py CONTENT_DIR

This is the least any generator must do with the corpus, written directly with
PyYAML and Python-Markdown, mirroring the generator's per-file work: read the
bytes, decode UTF-8, normalise line endings, split the front matter at the
``---`` lines, ``yaml.safe_load`` it, and convert the body with one reused
``markdown.Markdown(extensions=["tables", "sane_lists", "footnotes", "toc"])``
(``reset()`` between documents, as the generator does). YAML files
(site.yaml, institutions, pages) are only parsed. Nothing is rendered or written.

Prints one JSON line: files, bytes, Markdown documents, seconds (inside the process).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import markdown
import yaml


def split(text: str) -> tuple[str, str]:
    lines = text.split("\n")
    if lines and lines[0].rstrip() == "---":
        for index in range(1, len(lines)):
            if lines[index].rstrip() in ("---", "..."):
                return "\n".join(lines[1:index]), "\n".join(lines[index + 1:])
    return "", text


def main(argv: list[str]) -> int:
    content = Path(argv[0])
    started = time.perf_counter()
    md = markdown.Markdown(extensions=["tables", "sane_lists", "footnotes", "toc"], output_format="html")
    files = size = documents = html = 0
    for path in sorted(p for p in content.rglob("*") if p.suffix in (".md", ".yaml", ".yml")):
        rel = path.relative_to(content)
        if any(part.startswith((".", "_")) for part in rel.parts) or not path.is_file():
            continue
        data = path.read_bytes()
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
        files += 1
        size += len(data)
        if path.suffix == ".md":
            meta, body = split(text)
            yaml.safe_load(meta)
            html += len(md.reset().convert(body))
            documents += 1
        else:
            yaml.safe_load(text)
    seconds = time.perf_counter() - started
    print(json.dumps({"files": files, "bytes": size, "documents": documents, "html_chars": html,
                      "seconds": round(seconds, 4)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
