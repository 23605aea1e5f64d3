"""Find the content files, in a deterministic order, by the folder they are in."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Report

#: Content folder → content type. Markdown elsewhere is reported, not guessed at.
CONTENT_FOLDERS = {"policies": "policy", "interpretations": "interpretation", "pages": "page"}


@dataclass
class Discovered:
    by_type: dict[str, list[Path]] = field(default_factory=dict)

    def of(self, type_name: str) -> list[Path]:
        return self.by_type.get(type_name, [])


def _hidden(rel: Path) -> bool:
    return any(part.startswith((".", "_")) for part in rel.parts)


def discover(content_dir: Path, report: Report) -> Discovered:
    found = Discovered()
    for path in sorted(p for p in content_dir.rglob("*") if p.suffix in (".md", ".yaml", ".yml")):
        rel = path.relative_to(content_dir)
        if _hidden(rel) or not path.is_file():
            continue
        type_name = CONTENT_FOLDERS.get(rel.parts[0]) if len(rel.parts) > 1 else None
        if path.suffix != ".md" and type_name != "page":
            continue  # YAML is data read by name (site.yaml, pages), not discovered as documents
        if type_name is None:
            report.warning(path, 0, "Markdown file outside the content folders is ignored",
                           "move it into one of: " + ", ".join(f"{d}/" for d in CONTENT_FOLDERS)
                           + " (or prefix its name with '_' to keep it unpublished)", code="unknown-folder")
            continue
        found.by_type.setdefault(type_name, []).append(path)
    return found
