"""A static-site generator for government information disclosure columns (政府信息公开专栏).

Public API: :func:`build`, :func:`check`, :func:`load_site`.
"""

__version__ = "0.1.0"

from .commands.build import BuildOptions, BuildResult, build, check  # noqa: E402

__all__ = ["BuildOptions", "BuildResult", "build", "check", "load_site", "__version__"]


def __getattr__(name: str):
    # Loading pulls in YAML, Markdown and the content model: only when asked for (see generator.snapshot).
    if name == "load_site":
        from .loading import load_site

        return load_site
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
