"""Rewrite docs/report.png, the README's picture of the HTML report: the bundled raw/ built
into a temporary warehouse, its report rendered by Chromium at 1280 px.

    .venv/bin/python -m tests.browser.screenshot
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from pipeline.cli import main as pipeline
from tests.browser.conftest import SKIP_HOW, chromium_binary
from tests.conftest import RAW, REPO

PICTURE = REPO / "docs" / "report.png"
WIDTH, HEIGHT = 1280, 1600  # the top of the page: the verdict, the checks, the first failure


def main() -> int:
    binary = chromium_binary()
    if binary is None:
        print(f"no Chromium binary found; {SKIP_HOW}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        # Paths in the report read as in the README (raw/events/…, warehouse/…), none temporary.
        shutil.copytree(RAW, Path(folder) / "raw")
        os.chdir(folder)
        report = Path(folder) / "report.html"
        args = ["run", "--raw", "raw", "--warehouse", "warehouse"]
        if pipeline([*args, "--format", "html", "--output", str(report)]) != 0:
            return 1
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=binary)
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            page.goto(report.as_uri())
            page.screenshot(path=PICTURE, clip={"x": 0, "y": 0, "width": WIDTH, "height": HEIGHT})
            browser.close()
    print(f"wrote {PICTURE.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
