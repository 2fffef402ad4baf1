"""report.html, report.md and the notebook API, on a hand-built report with every section."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest

from pipeline.appi import ItemResult
from pipeline.errors import PiiscanError, ReportQueryError
from pipeline.models import CATEGORY_IDS
from pipeline.report import ScanReport, render_html, render_markdown, write_report
from pipeline.sources import ExcludedFile
from pipeline.verdict import Verdict
from tests.report.conftest import VERDICT

# Any reference that would make a browser fetch something: a URL in src/href/action…, a script or
# stylesheet element, CSS url() or @import (lower case: the report's own text says "URL (score …)").
EXTERNAL_REFERENCE = re.compile(
    r"""\b(?:src|srcset|href|action|poster|data|formaction)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//"""
    r"""|<script\b|<link\b|<iframe\b|<object\b|<embed\b|\burl\(|@import""",
    re.IGNORECASE,
)


def _heat_row(page: str, dataset: str) -> str:
    match = re.search(rf"<tr><td class='ds'><a [^>]*>{re.escape(dataset)}</a></td>(.*?)</tr>", page)
    assert match, f"no heatmap row for {dataset}"
    return match.group(1)


def test_html_is_one_self_contained_page(hand_report: ScanReport) -> None:
    page = render_html(hand_report)
    assert page.startswith("<!doctype html>")
    assert "<meta charset='utf-8'>" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert EXTERNAL_REFERENCE.search(page) is None
    assert page.count("<style>") == 1


def test_html_heatmap_counts_columns_per_category(hand_report: ScanReport) -> None:
    page = render_html(hand_report)
    for category in CATEGORY_IDS:
        assert f"title='{category}'" in page  # one header per category id
    cells = re.findall(r"<td class='n h(\d)'[^>]*>(\d*)</td>", _heat_row(page, "crm/customers.parquet"))
    assert len(cells) == len(CATEGORY_IDS)
    by_category = dict(zip(CATEGORY_IDS, cells, strict=True))
    assert by_category["personal"] == ("1", "1")
    assert by_category["sensitive.health"] == ("1", "1")
    assert by_category["financial"] == ("0", "")
    assert "risk-high" in _heat_row(page, "crm/customers.parquet")
    assert all(level == "0" for level, _ in re.findall(r"class='n h(\d)'[^>]*>(\d*)<", _heat_row(page, "metrics/daily_kpi.csv")))
    assert hand_report.category_matrix().loc["crm/customers.parquet", "personal"] == 1


def test_html_column_table_shows_evidence_and_masked_examples(hand_report: ScanReport) -> None:
    page = render_html(hand_report)
    table = page.split("id='piiscan-ds-0'", 1)[1].split("</details>", 1)[0]
    for header in ("column", "categories", "entities (evidence)", "prevalence", "confidence", "masked examples", "why"):
        assert f"<th>{header}</th>" in table
    row = re.search(r"<tr><td>氏名.*?</tr>", table)
    assert row is not None
    assert "<span class='chip'>personal</span>" in row.group(0)
    assert "PERSON" in row.group(0) and "values, column_name" in row.group(0)
    assert "97%" in row.group(0) and "0.93" in row.group(0)
    assert "<code>山* **</code>" in row.group(0)
    assert "Column &#x27;氏名&#x27; explained." in row.group(0)
    assert "<span class='chip sens'>sensitive.health</span>" in table
    assert "chip qi" in table  # 年齢 is a quasi-identifier
    assert "<tr class='untagged'>" in table


def test_html_quasi_identifiers_errors_and_escaping(hand_report: ScanReport) -> None:
    page = render_html(hand_report)
    assert "<td>年齢 + 郵便番号</td><td>1</td><td>82%</td><td class='risk-high'>high</td>" in page
    assert "row group 3 unreadable" in page  # the dataset's own error
    assert "<h2>Errors</h2>" in page and "broken.csv" in page  # the scan-wide error
    assert "<script>alert(1)</script>" not in page
    assert "note|&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_html_verdict_section_only_when_given(hand_report: ScanReport) -> None:
    assert "class='verdict" not in render_html(hand_report)
    page = render_html(hand_report, verdict=VERDICT)
    section = page.split("<section class='verdict blocked'>", 1)[1].split("</section>", 1)[0]
    assert "Verdict: BLOCKED for third_party" in section
    assert "<li>氏名 is personal and no consent column was given <small>(dataset: crm/customers.parquet; columns: 氏名;" in section
    assert "rule: consent_required; category: personal; policy_sentence: We will not provide" in section
    assert "<li> <small>(dataset: crm/customers.parquet; rule: blocked_category; policy_sentence: Special" in section
    assert "<dt>problems</dt><dd>path: broken.csv; kind: read_error; message: not UTF-8</dd>" in section
    assert "<dt>consent_column</dt>" not in section  # empty fields are left out
    assert page.index("class='verdict") < page.index("piiscan-heatmap")  # the decision comes first
    allowed = render_html(hand_report, verdict=Verdict(destination="internal", decision="allowed"))
    assert "Verdict: ALLOWED for internal" in allowed and "<h3>Reasons</h3>" not in allowed
    # "Could not decide" has its own colour: never drawn as blocked, never as allowed.
    undecidable = render_html(hand_report, verdict=Verdict(destination="statistics", decision="undecidable"))
    assert "<section class='verdict undecidable'><h2>Verdict: UNDECIDABLE for statistics</h2>" in undecidable


def test_verdict_appi_items_and_excluded_files_in_both_reports(hand_report: ScanReport) -> None:
    item = ItemResult(
        article=34, item=5, check="k_anonymity", text="…", status="not_met",
        columns=("年齢", "郵便番号"), evidence=("年齢: k_min=1",), action="generalise 年齢",
    )
    open_item = ItemResult(article=34, item=1, check="names_removed", text="…", status="cannot_decide")
    verdict = Verdict(
        destination="anonymized", decision="blocked", appi_items=(item, open_item), policy_path="p.yaml",
        policy_sha256="cd" * 32, excluded=(ExcludedFile("tmp/a.csv", "tmp/*"),),
    )
    text = render_markdown(hand_report, verdict=verdict)
    assert "| 施行規則第34条第5号 | not met | 年齢, 郵便番号 | 年齢: k_min=1 | generalise 年齢 |" in text
    assert "| 施行規則第34条第1号 | cannot decide | — | — | — |" in text
    assert "- excluded: path: tmp/a.csv; pattern: tmp/*" in text
    assert f"- policy: path: p.yaml; sha256: {'cd' * 32}" in text
    assert "checked_at" not in text and "- datasets:" not in text  # empty fields are left out
    page = render_html(hand_report, verdict=verdict)
    assert "<tr class='appi-not_met'><td>施行規則第34条第5号</td><td>not met</td><td>年齢, 郵便番号</td>" in page
    assert "<tr class='appi-cannot_decide'><td>施行規則第34条第1号</td><td>cannot decide</td>" in page
    assert "<dt>excluded</dt><dd>path: tmp/a.csv; pattern: tmp/*</dd>" in page


def test_html_fragment_for_notebooks(hand_report: ScanReport) -> None:
    fragment = hand_report._repr_html_()
    assert "<html" not in fragment and "<!doctype" not in fragment
    assert fragment.startswith("<style>") and "class='piiscan-heat'" in fragment
    # Folded in a notebook, open in the file.
    assert "<details class='piiscan-dataset' id='piiscan-ds-0'>" in fragment
    assert "<details class='piiscan-dataset' id='piiscan-ds-0' open>" in render_html(hand_report)


def test_html_fonts_render_kanji_first(hand_report: ScanReport) -> None:
    page = render_html(hand_report)
    stack = re.search(r"font-family:([^;}]+)", page)
    assert stack is not None and stack.group(1).startswith("'Noto Sans CJK JP'")
    assert "<html lang='ja'>" in page


def test_markdown_is_short_and_tagged_only(hand_report: ScanReport) -> None:
    text = render_markdown(hand_report, verdict=VERDICT)
    assert text.startswith("# piiscan report\n")
    assert "## Verdict: BLOCKED for `third_party`" in text
    assert "- **reason**: 氏名 is personal and no consent column was given (dataset: crm/customers.parquet;" in text
    assert "- problems: path: broken.csv; kind: read_error; message: not UTF-8" in text
    assert "| crm/customers.parquet | personal (1), attribute (1), sensitive.health (1) | 1 |" in text
    assert "| metrics/daily_kpi.csv | — | — |" in text
    assert "| 氏名 | personal | PERSON 97% (conf. 0.93) | `山* **`, `田* **` |" in text
    assert "| 年齢 | attribute [QI] |" in text
    assert "- 年齢 + 郵便番号: k=1, unique rows 82%, risk **high**" in text
    assert "row group 3 unreadable" in text and "broken.csv" in text
    # Untagged columns and untouched datasets stay out of the short form.
    assert "note\\|" not in text and "## metrics/daily_kpi.csv" not in text
    assert "Verdict" not in render_markdown(hand_report)


def test_to_pandas_and_queries(hand_report: ScanReport) -> None:
    frame = hand_report.to_pandas()
    assert list(frame.columns[:7]) == ["dataset", "column", "categories", "entities", "score", "quasi_identifier", "explanation"]
    assert len(frame) == 5
    row = frame[frame["column"] == "氏名"].iloc[0]
    assert row["prevalence"] == pytest.approx(0.97) and row["examples"] == "山* **, 田* **"
    assert list(hand_report.columns(category="personal")["column"]) == ["氏名"]
    assert list(hand_report.columns(category="sensitive")["column"]) == ["病歴"]
    assert hand_report.columns(category="financial").empty
    assert len(hand_report.columns()) == 5
    assert hand_report.explain("crm/customers.parquet", "氏名") == "Column '氏名' explained."


def test_queries_fail_with_a_helpful_message(hand_report: ScanReport) -> None:
    with pytest.raises(ReportQueryError, match=r"unknown category 'persona'.*personal"):
        hand_report.columns(category="persona")
    with pytest.raises(ReportQueryError, match="did you mean '氏名'") as caught:
        hand_report.explain("crm/customers.parquet", "氏")
    assert isinstance(caught.value, PiiscanError) and isinstance(caught.value, KeyError)
    with pytest.raises(KeyError, match=r"no dataset 'nope'.*to_pandas"):
        hand_report.explain("nope", "氏名")


def test_write_report_is_atomic_and_keeps_the_contract(hand_report: ScanReport, tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        path = write_report(hand_report, tmp_path, verdict=VERDICT)
    finally:
        os.umask(old_umask)
    assert path == tmp_path / "report.json"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.json", "report.md"]
    assert json.loads(path.read_text(encoding="utf-8")) == hand_report.to_dict()
    assert "verdict" not in hand_report.to_dict()  # the verdict lives in verdict.json, not the report
    assert "Verdict: BLOCKED" in (tmp_path / "report.html").read_text(encoding="utf-8")
    for name in ("report.html", "report.md", "report.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644  # readable by the privacy officer


def test_write_report_failure_leaves_nothing_half_written(hand_report: ScanReport, tmp_path: Path) -> None:
    (tmp_path / "report.json").write_text("old", encoding="utf-8")
    (tmp_path / "report.md").mkdir()  # a directory where the file should go: os.replace fails
    with pytest.raises(PiiscanError, match="cannot write"):
        write_report(hand_report, tmp_path)
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == "old"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]



@pytest.mark.parametrize(
    "fetching",
    ["<img src='http://x/a.png'>", '<a href="//cdn/x">', "<link rel=stylesheet href=a.css>", "<p style='background:url(a.png)'>",
     "<script>1</script>", "<style>@import 'a.css';</style>"],
)
def test_external_reference_pattern_catches_fetches(fetching: str) -> None:
    assert EXTERNAL_REFERENCE.search(fetching)
