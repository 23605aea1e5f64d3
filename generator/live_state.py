"""What ``serve`` knows between builds and tells the browser: the build epoch, the last build's status
and the pages previewed ahead of the build.

Shared by the rebuilding threads (generator.commands.watching), which change it, and the request
threads of the development server (generator.livereload), which read it and wait on it; every access
holds one condition.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

from .errors import Diagnostic


@dataclass(frozen=True)
class BuildStatus:
    """The outcome of one build, as the browser is told about it."""

    ok: bool
    summary: str  # one line, e.g. "build failed: 2 error(s), 0 warning(s)"
    diagnostics: tuple[Diagnostic, ...] = ()  # every diagnostic, in report order (failures only)
    detail: str = ""  # for failures without diagnostics (theme folder gone, a generator bug)
    seconds: float = 0.0
    lang: str = "en"  # the language summary and diagnostics are in (``--lang``); the overlay speaks it too


@dataclass
class LiveState:
    """What the server tells the browser: the build epoch and the last build's status.

    The epoch changes after every build, successful or not; a tab that loaded
    the page at another epoch reloads. It starts with a random boot id, so tabs
    left open across a restart of ``serve`` reload too.
    """

    boot: str = field(default_factory=lambda: secrets.token_hex(4))
    builds: int = 0
    previewed_pages: int = 0  # previews served ahead of builds (they change the epoch too)
    status: BuildStatus | None = None
    building: bool = False
    stopping: bool = False
    #: Pages rendered ahead of the build (output path → (when the preview began, HTML)), served instead of
    #: the files in ``output/`` until a build that began after them is published (generator.render.preview).
    previews: dict[str, tuple[float, bytes]] = field(default_factory=dict)
    _build_started: float = 0.0  # time.monotonic() when the running (or last) build began
    _published_started: float = -1.0  # … and when the last published one began
    _cond: threading.Condition = field(default_factory=threading.Condition, repr=False)

    @property
    def epoch(self) -> str:
        return f"{self.boot}-{self.builds}" + (f".{self.previewed_pages}" if self.previewed_pages else "")

    @property
    def failed(self) -> bool:
        return self.status is not None and not self.status.ok

    def set_building(self, building: bool) -> None:
        with self._cond:
            if building:
                self._build_started = time.monotonic()
            self.building = building
            self._cond.notify_all()

    def preview(self, pages: dict[str, bytes], since: float) -> bool:
        """Serve these pages ahead of the build, and reload the tabs showing them; unless a build that began
        after ``since`` (when the preview began) was published meanwhile: it is newer. True if shown."""
        with self._cond:
            if self._published_started >= since:
                return False
            self.previews = {**self.previews, **{rel: (since, html) for rel, html in pages.items()}}
            self.previewed_pages += 1
            self._cond.notify_all()
            return True

    def previewed(self, rel: str) -> bytes | None:
        with self._cond:
            entry = self.previews.get(rel)
            return entry[1] if entry else None

    def publish(self, status: BuildStatus) -> None:
        """Record a finished build and wake every waiting client. A successful build replaces the previews
        that began before it (a later one shows an edit it may not have read); a failed one keeps them all
        (the editor's text is shown while the error is fixed elsewhere)."""
        with self._cond:
            if status.ok:
                self.previews = {rel: entry for rel, entry in self.previews.items() if entry[0] > self._build_started}
            self._published_started = self._build_started
            self.status = status
            self.builds += 1
            self.building = False
            self._cond.notify_all()

    def wait_change(self, since: str | None, timeout: float) -> str:
        """Block until the epoch differs from ``since``, the server stops, or ``timeout`` passes."""
        with self._cond:
            self._cond.wait_for(lambda: self.epoch != since or self.stopping, timeout)
            return self.epoch

    def current(self) -> tuple[str, BuildStatus | None]:
        """The epoch and the status that belong to it, read together."""
        with self._cond:
            return self.epoch, self.status

    def stop(self) -> None:
        with self._cond:
            self.stopping = True
            self._cond.notify_all()

    def snapshot(self) -> dict:
        with self._cond:
            status = self.status
            data = {"epoch": self.epoch, "builds": self.builds, "previews": self.previewed_pages,
                    "building": self.building,
                    "ok": None if status is None else status.ok}
        if status is not None:
            data.update(summary=status.summary, detail=status.detail, seconds=round(status.seconds, 3),
                        diagnostics=[{"path": d.path, "line": d.line, "level": str(d.level), "message": d.message,
                                      "hint": d.hint} for d in status.diagnostics])
        return data
