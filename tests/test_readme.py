"""The README documents every field the code accepts."""

from __future__ import annotations

import re

from conftest import ROOT
from generator.config import section_schemas, site_schema
from generator.documents import TYPES
from generator.reference import missing, rewrite
from generator.documents.policy import POLICY_SCHEMA

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_reference_tables_match_the_schemas():
    assert not missing(README), f"README lacks reference blocks: {missing(README)}"
    assert rewrite(README) == README, "README field tables are stale: run `make docs`"


def test_every_front_matter_field_is_documented_with_an_example():
    for field in POLICY_SCHEMA.fields:
        row = next((l for l in README.splitlines() if l.startswith(f"| `{field.key}` |")), None)
        assert row is not None, field.key
        assert field.example and f"`{field.example}`" in row, field.key
        for alias in field.aliases:
            assert f"`{alias}`" in row


def test_every_site_yaml_key_is_documented():
    for schema in [site_schema(TYPES), *section_schemas(TYPES).values()]:
        for field in schema.fields:
            assert re.search(rf"(\| `{re.escape(field.key)}` \||`{re.escape(field.key)}`)", README), field.key


def test_readme_names_the_two_commands():
    assert "make build" in README and "make test" in README
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
