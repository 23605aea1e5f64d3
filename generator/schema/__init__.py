"""Declarative schemas for site.yaml and front matter, with located errors.

A :class:`Schema` is an ordered list of :class:`Field` s. Validation walks a
:class:`~generator.readers.yaml_loader.Mapping` and reports *every* problem
(unknown key with a "did you mean", missing key, wrong type, bad value) at the
line where it was written, then returns the converted values. The same field
list also generates the README's reference tables, so the docs cannot drift
from the code.

The package: :mod:`.scope` (where errors go), :mod:`.fields` (the field types),
:mod:`.model` (:class:`Schema` and :class:`Field`).
"""

from .fields import (Boolean, Choice, ContentFile, Date, FieldType, Integer, ListOf, Located, OneOf, Record, Reference,
                     Text, Url)
from .model import Field, Schema, reference_table
from .scope import AlreadyReported, Invalid, Scope, did_you_mean, type_name

__all__ = ["AlreadyReported", "Boolean", "Choice", "ContentFile", "Date", "Field", "FieldType", "Integer", "Invalid",
           "ListOf", "Located", "OneOf", "Record", "Reference", "Schema", "Scope", "Text", "Url", "did_you_mean",
           "reference_table", "type_name"]
