"""A headless Chromium for the browser tests: Debian's binary driven by Playwright.

Playwright's own browser download is never used (CI and these machines cannot fetch it): the
browser is $CHROMIUM, else `chromium` on the PATH, else /usr/bin/chromium. Without one, or
without the playwright package, every browser test is skipped with the reason."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page

OpenPage = Callable[..., "Page"]
SKIP_HOW = "install Debian's chromium (apt-get install chromium) to run them"


def chromium_binary() -> str | None:
    """The Chromium to drive, or None."""
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the session."""
    binary = chromium_binary()
    if binary is None:
        pytest.skip(f"no Chromium binary found: browser tests skipped; {SKIP_HOW}")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')"
    )
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=binary, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[OpenPage]:
    """Open a local HTML file at a viewport width; returns the Playwright Page. Every page
    fails the test if it tries to fetch anything or opens a dialog (alert)."""
    contexts = []
    dialogs: list[str] = []
    fetched: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    def open_(path: Path, width: int = 1280) -> Page:
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", dismiss)
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(path.resolve().as_uri())
        return page

    yield open_
    for context in contexts:
        context.close()
    assert dialogs == []
    assert all(url.startswith("file://") for url in fetched), fetched
