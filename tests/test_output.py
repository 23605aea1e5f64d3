"""The published folder: swapped in one step, never missing, leftovers of killed builds removed; a bad
--output, a full disk and an oversized file are reported with their path and real size, before the work."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT, THEME, Site, tree_digest

#: Runs the CLI in a child that kills itself (SIGKILL: no cleanup, no finally) at its Nth file-system
#: event once the build has started writing, or just counts the events and prints them.
KILLER = r"""
import os, runpy, signal, sys
kill_at, in_swap = int(os.environ["KILL_AT"]), os.environ["IN_SWAP"] == "1"
work = os.environ["WORK"]
events = ("open", "os.rename", "os.mkdir", "os.remove", "os.rmdir", "os.symlink", "os.link", "os.chmod",
          "shutil.rmtree", "shutil.copyfile", "os.scandir", "os.listdir")
count, started, log = 0, False, []
def hook(event, args):
    global count, started
    if event not in events:
        return
    if not started:  # count from the first step on the work folder, or from the first step of the swap
        touches = any(isinstance(a, (str, bytes, os.PathLike)) and work in os.fsdecode(a) for a in args)
        started = touches and (not in_swap or event == "os.chmod")
        if not started:
            return
    count += 1
    log.append(event)
    if count == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
if os.environ.get("NO_EXCHANGE"):
    import generator.output
    generator.output._RENAMEAT2 = None  # as on a system without renameat2: the symbolic-link flip
sys.addaudithook(hook)
sys.argv = ["generator", *sys.argv[1:]]
try:
    runpy.run_module("generator", run_name="__main__", alter_sys=True)
finally:
    print("EVENTS " + " ".join(log), file=sys.stderr)
"""


def _versions(site: Site) -> list[dict[str, str]]:
    """Two versions of the content, as {relative path: text}."""
    a = {f"policies/p{n}.md": _policy(n, "第一版正文。") for n in range(4)}
    b = {**{f"policies/p{n}.md": _policy(n, "第二版正文，有改动。") for n in range(2, 4)},
         **{f"policies/p{n}.md": _policy(n, "第一版正文。") for n in range(2)}, "policies/p9.md": _policy(9, "新增。")}
    return [a, b]


def _policy(n: int, body: str) -> str:
    from conftest import policy

    return policy(body, 标题=f"测试市文化和旅游局关于第{n}项工作的通知", 索引号=f"000014349/2023-{n + 1:05d}")


def _set_content(site: Site, files: dict[str, str]) -> None:
    for old in (site.content / "policies").glob("*.md"):
        old.unlink()
    for rel, text in files.items():
        site.write(rel, text)


def _run(site: Site, kill_at: int, no_exchange: bool, in_swap: bool = False) -> subprocess.CompletedProcess:
    """Build, killed at the ``kill_at``th step (of the swap when ``in_swap``); 0: not killed."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KILL_AT": str(kill_at), "WORK": str(site.root),
           "NO_EXCHANGE": "1" if no_exchange else "", "IN_SWAP": "1" if in_swap else ""}
    # --allow-removal: the versions take turns, so one of them drops a published document every other build.
    command = [sys.executable, "-c", KILLER, "build", "--content", str(site.content), "--output", str(site.output),
               "--theme", str(THEME), "--jobs", "1", "--allow-removal"]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def _digest(site: Site) -> dict[str, str] | None:
    return tree_digest(site.output) if site.output.is_dir() else None


def _events(result: subprocess.CompletedProcess) -> list[str]:
    return result.stderr.split("EVENTS ", 1)[1].split()


def _leftovers(site: Site) -> list[str]:
    """Folders beside the output other than the cache, the lock and the folder the output links to."""
    current = os.readlink(site.output) if site.output.is_symlink() else ""
    return sorted(p.name for p in site.root.iterdir()
                  if p.name.startswith(".output.") and p.name not in (".output.cache", ".output.lock", current))


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["exchange", "symlink"])
def test_a_build_killed_anywhere_leaves_a_complete_site(tmp_path, mode):
    """SIGKILL at random file-system steps of a build, and at every step of the swap: each time the output is
    exactly the previous site or exactly the new one, and the next build removes what the killed one left."""
    no_exchange = mode == "symlink"
    site = Site(tmp_path)
    versions = _versions(site)
    digests = []
    for files in versions:  # what each version builds to (the output is the same wherever it is written)
        _set_content(site, files)
        result = _run(site, 0, no_exchange)
        assert result.returncode == 0, result.stderr
        digests.append(tree_digest(site.output))
    assert digests[0] != digests[1]
    if no_exchange:
        assert site.output.is_symlink(), "without renameat2 the output is published through a symbolic link"
    events = _events(result)
    before_swap = events.index("os.chmod")  # the swap starts by making the new folder public
    swap = events[before_swap:]
    assert before_swap > 20 and "shutil.rmtree" in swap, (events, swap)
    rng = random.Random(16)
    # Every step of the swap, and random steps before it.
    points = [(k, False) for k in sorted(rng.sample(range(1, before_swap), 20))]
    points += [(k, True) for k in range(1, len(swap) + 1)]
    problems, killed = [], 0
    for k, in_swap in points:
        version = 1 if _digest(site) == digests[0] else 0  # always a real build, never "nothing changed"
        _set_content(site, versions[version])
        result = _run(site, k, no_exchange, in_swap)
        assert result.returncode in (0, -signal.SIGKILL), (k, result.returncode, result.stderr[-2000:])
        killed += result.returncode == -signal.SIGKILL
        where = f"killed at step {k}{' of the swap' if in_swap else ''}"
        if not site.output.is_dir():
            problems.append(f"{where}: no output folder")
        elif _digest(site) not in digests:
            problems.append(f"{where}: the output is neither site")
        elif result.returncode == 0 and _digest(site) != digests[version]:
            problems.append(f"{where}: a build that finished did not publish its site")
    assert not problems, "\n".join(problems)
    assert killed >= len(points) - 3, f"only {killed} of {len(points)} builds were killed"
    left = _leftovers(site)
    version = 1 if _digest(site) == digests[0] else 0
    _set_content(site, versions[version])
    result = _run(site, 0, no_exchange)  # a build that is not killed
    assert result.returncode == 0, result.stderr
    assert tree_digest(site.output) == digests[version]
    assert _leftovers(site) == [], f"left by killed builds: {left}; still there: {_leftovers(site)}"


@pytest.mark.slow
def test_builds_killed_at_random_moments_never_unpublish_the_site(tmp_path):
    """The same with wall-clock kills of the real CLI, at random moments of its run."""
    site = Site(tmp_path)
    versions = _versions(site)
    _set_content(site, versions[0])
    site.build_ok()
    digests = [tree_digest(site.output)]
    _set_content(site, versions[1])
    site.build_ok()
    digests.append(tree_digest(site.output))
    rng = random.Random(1616)
    for n in range(12):
        _set_content(site, versions[n % 2])
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen([sys.executable, "-m", "generator", "build", "--content", str(site.content),
                                 "--output", str(site.output), "--theme", str(THEME), "--no-cache", "--allow-removal"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 2.0))
        proc.kill()
        proc.wait()
        assert tree_digest(site.output) in digests, f"after a kill at attempt {n}"
    site.build_ok()
    assert _leftovers(site) == []


def test_leftovers_of_killed_builds_are_removed_by_the_next_build(site):
    site.policy("a")
    site.build_ok()
    for name in (".output.tmp-abcd1234", ".output.old-1234abcd", ".output.site-ffff0000"):
        (site.root / name / "zcwj").mkdir(parents=True)
        (site.root / name / "zcwj" / "index.html").write_text("half", encoding="utf-8")
    (site.root / ".output.link-00000000").symlink_to(".output.site-ffff0000")
    site.build_ok()  # nothing changed: still cleans
    assert _leftovers(site) == []
    assert (site.output / "index.html").is_file()


def test_a_first_flip_killed_after_parking_the_site_gets_it_back(site):
    """Without renameat2 the first flip parks the real folder for an instant; the next build restores it."""
    site.policy("a")
    site.build_ok()
    before = tree_digest(site.output)
    os.rename(site.output, site.root / ".output.old-0a0b0c0d")
    (site.content / "policies/a.md").write_text("---\n标题: 坏\n---\n", encoding="utf-8")
    result = site.build()
    assert result.returncode == 1  # the content is broken now: the restored site stays
    assert tree_digest(site.output) == before and _leftovers(site) == []


def test_the_output_is_published_through_a_symbolic_link_where_folders_cannot_be_exchanged(site, monkeypatch):
    from generator import BuildOptions, build, output

    monkeypatch.setattr(output, "_RENAMEAT2", None)
    site.policy("a")
    options = BuildOptions(content_dir=site.content, output_dir=site.output, theme_dir=THEME, jobs=1)
    build(options)
    assert site.output.is_symlink() and os.readlink(site.output).startswith(".output.site-")
    first = os.readlink(site.output)
    site.policy("b", 标题="测试市文化和旅游局关于第二项工作的通知", 索引号="000014349/2023-00002")
    build(options)
    assert os.readlink(site.output) != first and not (site.root / first).exists()
    assert (site.output / "zcwj/b/index.html").is_file() and _leftovers(site) == []
    monkeypatch.undo()  # a later build where exchanges work keeps flipping the link it made
    site.policy("c", 标题="测试市文化和旅游局关于第三项工作的通知", 索引号="000014349/2023-00003")
    build(options)
    assert site.output.is_symlink() and (site.output / "zcwj/c/index.html").is_file()


def test_without_exchange_or_symbolic_links_the_site_is_still_replaced(site, monkeypatch):
    """Windows without the right to make links: two renames, the old site parked in between."""
    from generator import BuildOptions, build, output

    def no_links(*args, **kwargs):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(output, "_RENAMEAT2", None)
    monkeypatch.setattr(output.os, "symlink", no_links)
    options = BuildOptions(content_dir=site.content, output_dir=site.output, theme_dir=THEME, jobs=1)
    for slug in ("a", "b"):
        site.policy(slug, 标题=f"测试市文化和旅游局关于{slug}项工作的通知", 索引号=f"000014349/2023-0000{ord(slug) - 96}")
        build(options)
        assert not site.output.is_symlink() and (site.output / f"zcwj/{slug}/index.html").is_file()
        assert _leftovers(site) == []


# --------------------------------------------------------------------------- failing before the work


@pytest.mark.parametrize("kind", ["file", "symlink", "under a file"])
def test_a_bad_output_is_refused_before_any_content_is_read(site, kind):
    site.policy("a", body="身份证号110101199003077766")  # an error the build would report if it read content
    if kind == "file":
        site.output.write_text("not a folder", encoding="utf-8")
    elif kind == "symlink":
        (site.root / "real").mkdir()
        site.output.symlink_to(site.root / "real")
    else:
        (site.root / "file").write_text("x", encoding="utf-8")
    output = site.root / "file" / "out" if kind == "under a file" else site.output
    result = site.run("build", "--content", str(site.content), "--output", str(output), "--theme", str(THEME),
                      raw=True)
    assert result.returncode == 2, result.stderr
    assert "privacy" not in result.stderr and "身份证" not in result.stderr
    assert {"file": "is a file", "symlink": "symbolic link", "under a file": "is a file"}[kind] in result.stderr
    assert not [p for p in site.root.iterdir() if p.name.startswith((".output.tmp", ".out.tmp"))]


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MiB tmpfs: a real full disk (needs root; skipped where mounting is not allowed)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_is_reported_with_the_path_and_the_old_site_stays(site, small_disk):
    site.policy("a")
    output = small_disk / "site"
    base = ["build", "--content", str(site.content), "--output", str(output), "--theme", str(THEME), "--no-cache"]
    assert site.run(*base, raw=True).returncode == 0
    before = tree_digest(output)
    site.write("policies/files/big.csv", "序号,说明\n" + "1,无\n" * 600_000)  # 3.6 MB: more than is left
    site.policy("a", body="见[表](files/big.csv)。")
    result = site.run(*base, raw=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    message = result.stderr.strip().splitlines()[-1]
    assert "No space left on device" in message and str(small_disk) in message, message
    assert tree_digest(output) == before
    assert [p.name for p in small_disk.iterdir() if p.name.startswith(".site.tmp")] == []


def test_an_oversized_file_is_reported_with_its_real_size_and_the_limit(site):
    path = site.write("policies/big.md", "")
    with open(path, "wb") as f:
        f.write(b"---\n")
        f.truncate(50 * 1024 * 1024)
    site.policy("a")
    result = site.run("check")
    assert result.returncode == 1
    assert "50.0 MiB" in result.stderr and "8 MiB limit" in result.stderr, result.stderr
    assert "8192 KiB" not in result.stderr
