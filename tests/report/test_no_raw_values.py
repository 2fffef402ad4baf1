"""No raw value of the scanned data appears in report.html, report.md, report.json or the notebook views."""

from __future__ import annotations

from tests.report.conftest import ScannedLake
from tests.report.rawvalues import leaks, raw_values


def _matches_mask(masked: str, raw: str) -> bool:
    """Whether ``masked`` could be mask_value(raw): same layout, '*' where a character was hidden."""
    masked = masked.removesuffix("…")
    return len(masked) <= len(raw) and all(m in ("*", r) for m, r in zip(masked, raw, strict=False))


def test_the_grep_has_something_to_find(scanned_lake: ScannedLake) -> None:
    """The check below is only meaningful if the lake's values reached the report in masked form."""
    values = raw_values(scanned_lake.lake)
    emails = [e for d in scanned_lake.report.datasets for c in d.columns for e in c.entities if e.type == "EMAIL_ADDRESS"]
    assert emails and emails[0].examples
    for example in emails[0].examples:
        assert example not in values
        assert any(_matches_mask(example, raw) for raw in values), example


def test_no_raw_value_in_written_reports(scanned_lake: ScannedLake) -> None:
    values = raw_values(scanned_lake.lake)
    assert len(values) > 500  # names, e-mails, phone numbers, My Numbers, addresses, free text …
    for name in ("report.html", "report.md", "report.json"):
        text = (scanned_lake.out / name).read_text(encoding="utf-8")
        assert "<td>" in text or "|" in text or "{" in text
        assert leaks(text, values) == [], name


def test_no_raw_value_in_notebook_views(scanned_lake: ScannedLake) -> None:
    report = scanned_lake.report
    values = raw_values(scanned_lake.lake)
    views = [
        report._repr_html_(),
        report.to_pandas().to_string(),
        report.to_pandas().to_html(),
        report.columns(category="personal").to_string(),
        report.category_matrix().to_string(),
    ]
    views += [report.explain(d.dataset, c.name) for d in report.datasets for c in d.columns]
    for view in views:
        assert leaks(view, values) == []


def test_leak_detector_catches_a_planted_value(scanned_lake: ScannedLake) -> None:
    values = raw_values(scanned_lake.lake)
    planted = sorted(v for v in values if "@" in v)[0]
    page = (scanned_lake.out / "report.html").read_text(encoding="utf-8").replace("</body>", f"{planted}</body>")
    assert leaks(page, values) == [planted]
