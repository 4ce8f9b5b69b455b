"""Screenshot a report page in headless Chromium (Debian's, driven by Playwright).

    python examples/report_screenshot.py report.html docs/report_zhoushan.png [DAY]

Used for the picture in ``docs/``; the browser tests in ``tests/test_report.py`` drive the
page the same way.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from islandroute.report import CHROMIUM_FLAGS

VIEWPORT = {"width": 1600, "height": 1000}


def screenshot(page_file: Path, png: Path, day: str | None = None) -> None:
    """Open the page, pick ``day`` (default: the page's own first day) and save a PNG."""
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("no chromium on PATH (apt-get install chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=list(CHROMIUM_FLAGS))
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(page_file.resolve().as_uri())
        page.wait_for_function("window.islandroute !== undefined")
        if day:
            page.select_option("#day", day)
        page.screenshot(path=str(png))
        browser.close()


if __name__ == "__main__":
    screenshot(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None)
