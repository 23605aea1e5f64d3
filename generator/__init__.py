"""A static-site generator for government information disclosure columns (政府信息公开专栏).

Public API: :func:`build`, :func:`check`, :func:`load_site`, :class:`BuildOptions`, :class:`BuildResult`.
They are imported when first used, so that importing any module of the package (the build cache, the
CLI for a no-change build) does not load the whole pipeline, and no module depends on this one.
"""

from .version import __version__

__all__ = ["BuildOptions", "BuildResult", "build", "check", "load_site", "__version__"]


def __getattr__(name: str):
    if name in ("BuildOptions", "BuildResult", "build", "check"):
        from .commands import build as build_module

        return getattr(build_module, name)
    if name == "load_site":
        from .loading import load_site

        return load_site
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
