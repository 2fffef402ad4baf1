"""report.html in a real headless browser (Debian's chromium): it renders, logs nothing, fetches nothing.

chromium and a kanji font are installed by scripts/ensure_chromium.sh when missing (as root with apt).
A control page with a remote image and a console error proves the detectors can fail.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.report import COLUMN_TABLE_HEADER, HEAT_COLOURS
from tests.report.browser import BROWSER_FLAGS, find_chromium, visit
from tests.report.conftest import ScannedLake
from tests.report.test_render import EXTERNAL_REFERENCE

WIDTH, HEIGHT = 1200, 2000
CONTROL_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'></head><body><p>control</p>"
    "<img src='http://piiscan-canary.invalid/pixel.png'><script>console.error('piiscan-canary')</script>"
    "</body></html>"
)


@pytest.fixture(scope="session")
def chromium() -> str:
    path, problem = find_chromium()
    if path is None:
        pytest.fail(f"chromium is needed for the HTML report tests (run scripts/ensure_chromium.sh as root): {problem}")
    return path


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


def test_report_shows_heatmap_and_column_table_without_errors_or_requests(
    chromium: str, scanned_lake: ScannedLake, tmp_path: Path
) -> None:
    page = visit(chromium, scanned_lake.out / "report.html", tmp_path / "profile", WIDTH, HEIGHT)
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


def test_report_dom_has_no_external_reference(chromium: str, scanned_lake: ScannedLake, tmp_path: Path) -> None:
    done = subprocess.run(
        [chromium, *BROWSER_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", (scanned_lake.out / "report.html").as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    dom = done.stdout
    assert 'class="piiscan-heat"' in dom and 'class="piiscan-cols"' in dom
    assert scanned_lake.report.datasets[0].dataset in dom
    assert EXTERNAL_REFERENCE.search(dom) is None


def test_detectors_catch_a_leaky_page(chromium: str, tmp_path: Path) -> None:
    control = tmp_path / "control.html"
    control.write_text(CONTROL_PAGE, encoding="utf-8")
    page = visit(chromium, control, tmp_path / "profile")
    assert "http://piiscan-canary.invalid/pixel.png" in page.requests
    assert any("piiscan-canary" in line for line in page.console)
