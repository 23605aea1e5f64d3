"""Save full-page PNGs of the main page types of the demo at 375 px and 1280 px (`make screenshots`).

    python tests/browser/screenshots.py [--out screenshots] [--content content]

Builds the content into a temporary folder, serves it on 127.0.0.1 and drives Debian's Chromium
(or $CHROMIUM) like the browser tests do. Also shoots the reading aids in use (high contrast,
特大, wide spacing) on a phone. Prints the files it wrote.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import conftest as harness  # noqa: E402  (the test harness: build, classify, serve, launch)

MAIN_TYPES = [
    "home", "column (navigation)", "column (documents)", "policy (current)", "policy (repealed)",
    "policy (zh-Hant)", "interpretation (图片)", "interpretation (视频)", "page guide", "page contacts",
    "annual report", "directory", "institution", "tag index", "sitemap", "search", "404",
    "qa library", "qa", "column (messages)", "message",
    "column (grouped list)", "draft (征集中)", "draft (已反馈)", "decision catalogue",
    # The 繁體 mirror (site.yaml traditional:), when the content has it on.
    "home [繁體]", "policy (current) [繁體]", "policy (zh-Hant) [繁體]", "annual report [繁體]", "directory [繁體]",
    "search [繁體]",
]
WIDTHS = (375, 1280)
FORMS = {"文字": "text", "图片": "image", "视频": "video", "音频": "audio", "动漫": "animation",
         "征集中": "open", "已反馈": "answered"}
AIDS = {"contrast": True, "size": "xl", "spacing": True, "open": True}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="screenshots", help="folder for the PNGs (default: screenshots/)")
    parser.add_argument("--content", default="content", help="content folder to build (default: content/)")
    args = parser.parse_args(argv)
    if not harness.CHROMIUM.exists():
        print(f"Chromium not found at {harness.CHROMIUM}: apt-get install chromium, or set $CHROMIUM", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site_dir = Path(tmp) / "site"
        subprocess.run([sys.executable, "-m", "generator", "build", "--content", args.content,
                        "--output", str(site_dir), "--today", harness.DEMO_TODAY], cwd=harness.ROOT, check=True)
        files = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))
        site = harness.BuiltSite(site_dir, files)
        site.types = harness.classify(site)
        handler = functools.partial(harness._Handler, directory=str(site_dir))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        shots = [(kind, width, None) for kind in MAIN_TYPES if kind in site.types for width in WIDTHS]
        shots += [(kind, 375, AIDS) for kind in ("home", "policy (current)")]
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(harness.CHROMIUM), args=harness.CHROMIUM_ARGS)
                for kind, width, settings in shots:
                    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
                    page = context.new_page()
                    if settings:
                        page.goto(base)
                        page.evaluate("([k, v]) => localStorage.setItem(k, v)",
                                      [harness.SETTINGS_KEY, json.dumps(settings)])
                    page.goto(base + site.types[kind], wait_until="load")
                    slug = kind
                    for chinese, latin in FORMS.items():
                        slug = slug.replace(chinese, latin)
                    slug = slug.replace(" [繁體]", "-hant").replace(" (", "-").replace(")", "").replace(" ", "-").replace(",", "")
                    name = out_dir / f"{slug}-{width}{'-aids' if settings else ''}.png"
                    page.screenshot(path=str(name), full_page=True)
                    print(name)
                    context.close()
                browser.close()
        finally:
            httpd.shutdown()
            httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
