"""The options ``serve`` adds to the command line, apart from the server: every command's parser is made
on every run, and a ``build`` (a no-change one takes a tenth of a second) need not import sockets, threads
and the file watcher to make it."""

from __future__ import annotations

import argparse

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options ``serve`` adds to --content/--output/--theme/--strict."""
    p.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="N",
                   help=f"port to listen on (default: {DEFAULT_PORT}; 0 picks a free one)")
    p.add_argument("--host", default=DEFAULT_HOST, metavar="ADDR",
                   help=f"address to listen on (default: {DEFAULT_HOST}, this machine only)")
