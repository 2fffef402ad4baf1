"""A scan's report: the model, its notebook view, report.md, report.html, and writing them as one set.

    model.py         ScanReport: report.json (the contract) and the DataFrame view
    notebook.py      the notebook queries (by category, dataset × category counts) and the HTML fragment
    shared.py        what the views read (ReportContent), the "sensitive" group, per-dataset counts
    verdict_view.py  the gate's typed Verdict as lines for the report (reasons, APPI items, fields)
    markdown.py      report.md
    html.py          report.html: the page with the gate's verdict first (self-contained, no script, no fetch)
    html_page.py     the page itself: styles, heatmap, column tables (also the notebook fragment)
    writing.py       write_report: the three files staged, fsynced and swapped in together

The names below are the package's public surface; ``atomic_write_text`` (``pipeline.atomic``) and the two errors
(``pipeline.errors``) are re-exported for callers that still import them from here.
"""

from pipeline.atomic import atomic_write_text
from pipeline.errors import OutputError, ReportQueryError
from pipeline.report.html import render_html
from pipeline.report.html_page import COLUMN_TABLE_HEADER, HEAT_COLOURS
from pipeline.report.markdown import render_markdown
from pipeline.report.model import FRAME_COLUMNS, SCHEMA_PATH, TOOL_VERSION, ScanReport
from pipeline.report.shared import SENSITIVE_PREFIX
from pipeline.report.verdict_view import APPI_STATUS_WORDS
from pipeline.report.writing import REPORT_FILES, write_report

__all__ = [
    "APPI_STATUS_WORDS",
    "COLUMN_TABLE_HEADER",
    "FRAME_COLUMNS",
    "HEAT_COLOURS",
    "REPORT_FILES",
    "SCHEMA_PATH",
    "SENSITIVE_PREFIX",
    "TOOL_VERSION",
    "OutputError",
    "ReportQueryError",
    "ScanReport",
    "atomic_write_text",
    "render_html",
    "render_markdown",
    "write_report",
]
