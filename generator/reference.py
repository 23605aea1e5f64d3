"""The README's field reference, generated from the schemas so it cannot drift.

``python -m generator.reference README.md`` rewrites every block between
``<!-- BEGIN REFERENCE: name -->`` and ``<!-- END REFERENCE: name -->``;
the test suite fails when the README differs from what this would write.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .config import section_schemas
from .inspection import coverage
from .inspection.engine import all_rules
from .documents import TYPES
from .privacy import REVIEW_SCHEMA
from .schema import reference_table
from .documents.withdrawn import WITHDRAWAL_SCHEMA

BLOCK_RE = re.compile(r"(<!-- BEGIN REFERENCE: (?P<name>[^ ]+) -->\n)(?P<body>.*?)(<!-- END REFERENCE: (?P=name) -->)",
                      re.S)


def sections() -> dict[str, str]:
    out = {name: reference_table(schema) for t in TYPES for name, schema in t.schemas.items()}
    out["privacy_review"] = reference_table(REVIEW_SCHEMA)
    out["withdrawn"] = reference_table(WITHDRAWAL_SCHEMA)
    out["inspection.rules"] = coverage.rules_table(all_rules())
    out["inspection.coverage"] = coverage.table(all_rules())
    for name, schema in section_schemas(TYPES).items():
        out[f"site.{name}"] = reference_table(schema)
    return out


def rewrite(text: str) -> str:
    tables = sections()

    def sub(m: re.Match) -> str:
        name = m.group("name")
        if name not in tables:
            raise SystemExit(f"unknown reference block {name!r}; known: {', '.join(tables)}")
        return m.group(1) + tables[name] + "\n" + m.group(4)

    return BLOCK_RE.sub(sub, text)


def missing(text: str) -> list[str]:
    """Reference blocks the README lacks."""
    present = {m.group("name") for m in BLOCK_RE.finditer(text)}
    return [name for name in sections() if name not in present]


def main(argv: list[str]) -> int:
    path = Path(argv[0] if argv else "README.md")
    text = path.read_text(encoding="utf-8")
    new = rewrite(text)
    if new != text:
        path.write_text(new, encoding="utf-8")
        print(f"updated {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
