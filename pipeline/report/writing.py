"""Writing a report: report.md, report.html and report.json placed as one set, never half of one.

The three files are written and fsynced into a fresh folder inside the output directory, then renamed into
place; a failure on the way leaves, or puts back, the previous set whole.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.atomic import fsync_dir, write_synced
from pipeline.errors import OutputError
from pipeline.report.html import render_html
from pipeline.report.markdown import render_markdown

if TYPE_CHECKING:
    from pipeline.models import ReportContent
    from pipeline.verdict import Verdict

REPORT_FILES = ("report.md", "report.html", "report.json")  # report.json last: a scheduler waiting for it finds the rest


def write_report(report: ReportContent, out_dir: Path, *, verdict: Verdict | None = None) -> Path:
    """Write report.md, report.html and report.json into ``out_dir`` as one set; ``verdict`` adds the gate's section.

    All three are written and fsynced into a fresh folder inside ``out_dir`` first; only then are they renamed
    into place (renames need no space). If any step fails (a full disk, a rename refused), the previous set is
    left, or put back, whole: never an old report.json beside a new report.md.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output directory {out_dir}: {exc.strerror or exc}") from None
    texts = {
        "report.md": render_markdown(report, verdict=verdict),
        "report.html": render_html(report, standalone=True, verdict=verdict),
        "report.json": json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n",
    }
    try:
        staging = Path(tempfile.mkdtemp(prefix=".report-set-", dir=out_dir))
    except OSError as exc:
        raise OutputError(f"cannot write the report into {out_dir}: {exc.strerror or exc}; check the output directory") from None
    try:
        try:
            for name in REPORT_FILES:
                write_synced(staging / name, texts[name])
            fsync_dir(staging)
        except OSError as exc:
            raise OutputError(f"cannot write the report into {out_dir}: {exc.strerror or exc}; the previous report is unchanged") from None
        _swap_in(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out_dir / "report.json"



def _swap_in(staging: Path, out_dir: Path) -> None:
    """Rename the staged files over the old ones; on a failure, put back the old ones already replaced."""
    kept = staging / ".previous"
    kept.mkdir()
    replaced: list[str] = []
    try:
        for name in REPORT_FILES:
            target = out_dir / name
            if target.exists():
                try:
                    os.link(target, kept / name)  # a second name for the old file (no space), so it can be put back
                except OSError:
                    shutil.copy2(target, kept / name)  # a filesystem without hard links
            os.replace(staging / name, target)
            replaced.append(name)
        fsync_dir(out_dir)
    except BaseException as exc:  # a refused rename, or a SIGTERM between two renames
        for name in reversed(replaced):
            try:
                if (kept / name).exists():
                    os.replace(kept / name, out_dir / name)
                else:
                    (out_dir / name).unlink(missing_ok=True)
            except OSError:
                continue
        if not isinstance(exc, OSError):
            raise
        raise OutputError(f"cannot write the report into {out_dir}: {exc.strerror or exc}; the previous report is unchanged") from None
