"""The README's commands run as written, in order, on a fresh copy of the project.

The copy holds what a clone would (the files git tracks or would track, never .venv, output/ or caches), so
``make build`` really creates the environment. Every ``sh`` block of the sections "Quick start" and "Command
line" is run line by line. Three adjustments, each because the test shares a machine: paths under /tmp/ go to
this test's own folder; a ``serve`` is started, asked for its home page and stopped with Ctrl-C (on a free port:
``PORT=0``, as port 8000 may be taken); ``make test`` is not run (it is the suite this test belongs to).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

SECTIONS = ("## Quick start", "## Command line")
SKIPPED = ("make test",)


def readme_commands(text: str) -> list[str]:
    """The command lines of the sh blocks in SECTIONS, in order, without their comments."""
    commands = []
    for heading in SECTIONS:
        section = text[text.index(heading):]
        section = section[:section.find("\n## ", 3)]
        for block in re.findall(r"^```sh\n(.*?)^```", section, re.M | re.S):
            for line in block.splitlines():
                command = re.sub(r"\s+#.*$", "", line).strip()
                if command:
                    commands.append(command)
    return commands


def fresh_copy(target: Path) -> None:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode("utf-8").split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def environment() -> dict[str, str]:
    """The user's environment, without the test run's own Python settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PYTEST"))}
    return {**env, "PORT": "0"}


def serve(command: str, cwd: Path, env: dict[str, str]) -> None:
    """Start a serve command, check it serves the demo's home page, stop it as Ctrl-C would."""
    process = subprocess.Popen(["bash", "-c", command], cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        url, seen = None, []
        deadline = time.monotonic() + 300
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            seen.append(line)
            m = re.search(r"(http://[0-9.]+:[0-9]+/)", line)  # the serving line, in either language
            url = m.group(1) if m else None
        assert url, "".join(seen)
        for _ in range(100):
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    page = response.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.3)
        assert "江州市文化和旅游局" in page
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
        try:
            rest = process.communicate(timeout=60)[0]
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            rest = process.communicate()[0]
    # The server exits 0 on Ctrl-C; make, when it ran it, reports the interrupt as its own (killed by SIGINT).
    assert process.returncode in (0, -signal.SIGINT), rest


def test_the_readme_examples_are_found():
    commands = readme_commands((ROOT / "README.md").read_text(encoding="utf-8"))
    assert commands[:2] == ["make build", "make serve"]
    assert all(c.startswith(("make ", ".venv/bin/", "rm ", "cp ")) for c in commands), commands
    assert not [c for c in commands if c.startswith("python")], "the generator runs from .venv/bin/python"


@pytest.mark.slow
def test_the_readme_commands_run_in_order_on_a_fresh_copy(tmp_path):
    project = tmp_path / "project"
    fresh_copy(project)
    assert not (project / ".venv").exists() and not (project / "output").exists()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = environment()
    ran = []
    for command in readme_commands((project / "README.md").read_text(encoding="utf-8")):
        if command.startswith(SKIPPED):
            continue
        command = command.replace("/tmp/", f"{scratch}/")
        if re.search(r"(^make | -m generator )serve\b", command):
            serve(command, project, env)
        else:
            result = subprocess.run(["bash", "-c", command], cwd=project, env=env, capture_output=True,
                                    text=True, timeout=900)
            assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        ran.append(command)
        if command == "make build":
            assert (project / "output" / "index.html").is_file()
    assert "make build" in ran and any("serve" in c for c in ran) and len(ran) >= 6
