"""The generator's version: part of every cache key (a new version rebuilds everything)."""

__version__ = "0.1.0"
