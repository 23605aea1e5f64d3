"""``content/site.yaml``: the site's identity, vocabularies and column tree.

Validated with the same schema machinery as front matter, so an unknown key, a
missing key or a bad value in site.yaml is reported with its line like any
content error, all of them at once.

* :mod:`.model` — what the pipeline reads (:class:`SiteConfig` and its parts);
* :mod:`.sections` — the schema of every section of the file;
* :mod:`.load` — reading the file into a :class:`SiteConfig`.
"""

from .load import load_config
from .model import (CURRENT_STATES, INDEX_DATES, INDEX_DOC, REPEALED_STATES, SLUG, TERM_SLUG, VALIDITY_STATES,
                    ColumnSpec, ConsultationRules, IndexNoSpec, ListFilter, ListSpec, SiteConfig, Term,
                    validity_values)
from .sections import VALIDITY_FILTER, section_schemas, site_schema

__all__ = ["CURRENT_STATES", "INDEX_DATES", "INDEX_DOC", "REPEALED_STATES", "SLUG", "TERM_SLUG", "VALIDITY_STATES",
           "ColumnSpec", "ConsultationRules", "IndexNoSpec", "ListFilter", "ListSpec", "SiteConfig", "Term",
           "validity_values", "VALIDITY_FILTER", "section_schemas", "site_schema", "load_config"]
