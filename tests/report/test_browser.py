"""report.html in a real headless browser (Debian's chromium): it renders, logs nothing, fetches nothing.

Selenium drives chromium through Debian's chromedriver. Both paths are given, so Selenium Manager (which
would look for or download a driver) is never run: a fixture makes any call to it fail the test, and
SE_OFFLINE is set besides. chromium, chromedriver and a kanji font are installed by
scripts/ensure_chromium.sh when missing (as root with apt). A control page with a remote image and a
console error proves the detectors can fail.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from selenium import webdriver
from selenium.common.exceptions import NoSuchDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.selenium_manager import SeleniumManager

from pipeline.report import COLUMN_TABLE_HEADER, HEAT_COLOURS
from tests.report.conftest import ScannedLake
from tests.report.test_render import EXTERNAL_REFERENCE

REPO = Path(__file__).resolve().parents[2]
WIDTH, HEIGHT = 1200, 2000
BROWSER_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--proxy-server=127.0.0.1:9",  # nothing listens there: no request can leave the machine
)
CONTROL_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'></head><body><p>control</p>"
    "<img src='http://piiscan-canary.invalid/pixel.png'><script>console.error('piiscan-canary')</script>"
    "<script>throw new Error('piiscan-canary-throw')</script>"
    "</body></html>"
)


@dataclass(frozen=True)
class Browser:
    chromium: str
    chromedriver: str


@dataclass(frozen=True)
class PageVisit:
    url: str
    requests: list[str]  # every URL the page asked for, its own first
    console: list[str]  # console calls, uncaught exceptions, browser log entries (CSP, failed loads)
    screenshot: bytes  # PNG of the viewport
    dom: str  # the document as the browser holds it after loading


def _find_browser() -> tuple[Browser | None, str]:
    """chromium and chromedriver, installed with scripts/ensure_chromium.sh when missing (root with apt only)."""
    problem = ""
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        done = subprocess.run(
            ["bash", str(REPO / "scripts" / "ensure_chromium.sh")], capture_output=True, text=True, timeout=1200
        )
        problem = done.stderr.strip()
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or chromedriver is None:
        return None, problem or "chromium or chromedriver is not on PATH"
    return Browser(chromium, chromedriver), ""


def _refuse_selenium_manager(*args: Any, **kwargs: Any) -> dict[str, str]:
    raise AssertionError("Selenium Manager was called; the tests must use Debian's chromedriver")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium and chromedriver; while the tests run, Selenium Manager (which would look for a driver
    and could download one) fails any test that reaches it, and SE_OFFLINE tells it to stay offline anyway."""
    found, problem = _find_browser()
    if found is None:
        pytest.fail(f"chromium and chromedriver are needed for the HTML report tests (run scripts/ensure_chromium.sh as root): {problem}")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SE_OFFLINE", "true")
        patch.setattr(SeleniumManager, "binary_paths", _refuse_selenium_manager)
        yield found


def visit(browser: Browser, page: Path, profile: Path, width: int = WIDTH, height: int = HEIGHT) -> PageVisit:
    """Load ``page`` in a ``width``×``height`` viewport, wait for its load event, screenshot it, quit."""
    options = Options()
    options.binary_location = browser.chromium
    for flag in (*BROWSER_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    # chromedriver's logs: the page's console and browser log, and its DevTools Network events.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = Service(executable_path=browser.chromedriver, log_output=subprocess.DEVNULL)
    driver = webdriver.Chrome(service=service, options=options)
    url = page.as_uri()
    try:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        for log in ("browser", "performance"):
            driver.get_log(log)  # drop what the driver's own start page logged
        driver.get(url)  # returns after the load event
        png = driver.get_screenshot_as_png()
        dom = driver.page_source
        console = [f"{entry['level']}: {entry['message']}" for entry in driver.get_log("browser")]
        events = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
    finally:
        driver.quit()
    requests = [e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"]
    return PageVisit(url=url, requests=requests, console=console, screenshot=png, dom=dom)


@pytest.fixture(scope="module")
def report_visit(browser: Browser, scanned_lake: ScannedLake, tmp_path_factory: pytest.TempPathFactory) -> PageVisit:
    return visit(browser, scanned_lake.out / "report.html", tmp_path_factory.mktemp("profile"))


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _rows_with(image: Image.Image, colours: list[tuple[int, int, int]], tolerance: int = 4) -> dict[int, int]:
    """For each row of pixels, how many have one of ``colours``."""
    pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    hit = np.zeros(pixels.shape[:2], dtype=bool)
    for colour in colours:
        hit |= (np.abs(pixels - np.array(colour, dtype=np.int16)) <= tolerance).all(axis=-1)
    counts = hit.sum(axis=1)
    return {int(y): int(n) for y, n in enumerate(counts) if n}


def test_report_shows_heatmap_and_column_table_without_errors_or_requests(report_visit: PageVisit) -> None:
    page = report_visit
    assert page.console == [], "the report logged to the browser console"
    assert page.requests == [page.url], "the report asked for something besides itself"

    image = Image.open(io.BytesIO(page.screenshot)).convert("RGB")
    assert image.size == (WIDTH, HEIGHT)
    heat = _rows_with(image, [_rgb(c) for c in HEAT_COLOURS[1:]])
    table_header = _rows_with(image, [_rgb(COLUMN_TABLE_HEADER)])
    assert sum(heat.values()) > 2000, "the heatmap's coloured cells are not visible"
    assert max(heat) - min(heat) > 150, "the heatmap spans too few rows of pixels"
    assert sum(table_header.values()) > 1000, "no column-table header is visible"
    first_table = min(table_header)
    assert first_table > max(heat), "the column tables should come below the heatmap"
    # Text is drawn in the first column table: dark pixels just below its header.
    below_header = np.asarray(image, dtype=np.int16)[first_table : first_table + 300]
    dark = int((below_header.max(axis=-1) < 90).sum())
    assert dark > 3000, "the column table shows no text"


def test_report_dom_has_no_external_reference(report_visit: PageVisit, scanned_lake: ScannedLake) -> None:
    dom = report_visit.dom
    assert 'class="piiscan-heat"' in dom and 'class="piiscan-cols"' in dom
    assert scanned_lake.report.datasets[0].dataset in dom
    assert EXTERNAL_REFERENCE.search(dom) is None


def test_detectors_catch_a_leaky_page(browser: Browser, tmp_path: Path) -> None:
    control = tmp_path / "control.html"
    control.write_text(CONTROL_PAGE, encoding="utf-8")
    page = visit(browser, control, tmp_path / "profile")
    assert page.requests == [page.url, "http://piiscan-canary.invalid/pixel.png"]
    assert any(line.endswith('"piiscan-canary"') for line in page.console), "console.error was not caught"
    assert any("Uncaught Error: piiscan-canary-throw" in line for line in page.console), "an exception was not caught"
    # The remote image was refused by the closed proxy: nothing left the machine.
    assert any("pixel.png" in line and "ERR_PROXY_CONNECTION_FAILED" in line for line in page.console)
    assert EXTERNAL_REFERENCE.search(page.dom) is not None


def test_selenium_is_never_left_to_find_a_driver_itself(browser: Browser) -> None:
    """The guard itself: without a driver path Selenium would run Selenium Manager, which the fixture refuses."""
    options = Options()
    options.binary_location = browser.chromium
    options.add_argument("--headless=new")
    with pytest.raises(NoSuchDriverException, match="Unable to obtain driver") as raised:
        webdriver.Chrome(service=Service(), options=options)
    assert isinstance(raised.value.__cause__, AssertionError)
    assert os.environ["SE_OFFLINE"] == "true"
