"""Headless Chromium for the page tests: the system's browser (Debian's `chromium`) driven with
Playwright's Python package, which never downloads a browser of its own.

`open_page` opens a file and records what a reader would notice: console errors, uncaught
exceptions and every request that is not the file itself (the pages must work offline).
Tests using it skip, with the reason, where there is no Chromium or no Playwright.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

NO_WEBGL = ("--disable-webgl", "--disable-3d-apis")
# Keep the browser itself quiet too, so any request seen comes from the page.
QUIET = ("--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--disable-default-apps", "--disable-extensions")
LOCAL_SCHEMES = ("data:", "blob:", "about:")


def chromium_path() -> str | None:
    """$TRENDS_CHROMIUM, else the Debian package's binary, else whatever chromium is on PATH."""
    for candidate in (os.environ.get("TRENDS_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@dataclass
class Watch:
    """What happened on a page since it was opened."""

    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def external_requests(self) -> list[str]:
        return [u for u in self.requests if u != self.url and not u.startswith(LOCAL_SCHEMES)]

    def assert_clean(self) -> None:
        assert not self.errors, f"console errors: {self.errors}"
        assert not self.external_requests(), f"the page made requests: {self.external_requests()}"


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')")
    if chromium_path() is None:
        pytest.skip("no Chromium found (apt-get install chromium chromium-driver, or set TRENDS_CHROMIUM)")
    with sync_api.sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browsers(playwright_session) -> Iterator[Callable[[bool], object]]:
    """One browser per WebGL setting, started on first use and shared by the session's tests."""
    started: dict[bool, object] = {}

    def get(webgl: bool):
        if webgl not in started:
            args = list(QUIET) + ([] if webgl else list(NO_WEBGL))
            started[webgl] = playwright_session.chromium.launch(executable_path=chromium_path(), args=args)
        return started[webgl]

    yield get
    for browser in started.values():
        browser.close()


@pytest.fixture
def open_page(browsers) -> Iterator[Callable[..., tuple[object, Watch]]]:
    """open_page(path, width=1400, height=900, webgl=False) -> (page, watch); pages close after the test."""
    contexts = []

    def open_(path: Path, width: int = 1400, height: int = 900, webgl: bool = False, ready: str | None = None):
        context = browsers(webgl).new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        watch = Watch(url=path.resolve().as_uri())
        page.on("console", lambda message: message.type == "error" and watch.errors.append(message.text))
        page.on("pageerror", lambda error: watch.errors.append(str(error)))
        page.on("request", lambda request: watch.requests.append(request.url))
        page.goto(watch.url)
        if ready:
            try:
                page.wait_for_selector(ready, state="attached", timeout=20_000)
            except Exception as error:  # the page's own errors say more than the timeout
                raise AssertionError(f"{path.name} never became ready; errors: {watch.errors}") from error
        return page, watch

    yield open_
    for context in contexts:
        context.close()
