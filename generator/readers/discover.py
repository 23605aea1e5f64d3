"""Find the content files, in a deterministic order, by the folder they are in."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Report

#: Content folder → (content type, the file suffixes that are documents of that type).
#: Other files in these folders (media, attachments) are only published when referenced.
CONTENT_FOLDERS = {
    "policies": ("policy", (".md",)),
    "interpretations": ("interpretation", (".md",)),
    "pages": ("page", (".md", ".yaml", ".yml")),
    "annual-reports": ("annual_report", (".yaml", ".yml")),
    "institutions": ("institution", (".yaml", ".yml")),
}
_TEXT_SUFFIXES = (".md", ".yaml", ".yml")
_TOP_LEVEL = {"site.yaml"}


@dataclass
class Discovered:
    by_type: dict[str, list[Path]] = field(default_factory=dict)

    def of(self, type_name: str) -> list[Path]:
        return self.by_type.get(type_name, [])


def _hidden(rel: Path) -> bool:
    return any(part.startswith((".", "_")) for part in rel.parts)


def discover(content_dir: Path, report: Report) -> Discovered:
    found = Discovered()
    for path in sorted(p for p in content_dir.rglob("*") if p.suffix in _TEXT_SUFFIXES):
        rel = path.relative_to(content_dir)
        if _hidden(rel) or not path.is_file() or rel.as_posix() in _TOP_LEVEL:
            continue
        type_name, suffixes = CONTENT_FOLDERS.get(rel.parts[0], (None, ())) if len(rel.parts) > 1 else (None, ())
        if type_name is not None and path.suffix in suffixes:
            found.by_type.setdefault(type_name, []).append(path)
        elif type_name is None and path.suffix == ".md":
            report.warning(path, 0, "Markdown file outside the content folders is ignored",
                           "move it into one of: " + ", ".join(f"{d}/" for d in CONTENT_FOLDERS)
                           + " (or prefix its name with '_' to keep it unpublished)", code="unknown-folder")
    return found
