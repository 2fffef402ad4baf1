"""A value whose matching runs out of its time budget is not silently skipped: the file gets an issue."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.detect import profile_file
from pipeline.engine import pattern_recognizers
from pipeline.settings import load_scan_settings
from pipeline.sources import discover
from recognizers.jp.jp_my_number import JpMyNumberRecognizer


def test_timed_out_values_become_a_file_issue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ids.csv").write_text("個人番号\n123456789018\n621498320257\n", encoding="utf-8")
    (ref,), _ = discover([str(tmp_path)])
    (my_number,) = [r for r in pattern_recognizers(None) if isinstance(r, JpMyNumberRecognizer)]
    monkeypatch.setattr(my_number, "REGEX_TIMEOUT_SECONDS", 0.0)  # every match is over budget
    profile = profile_file(ref.files[0], load_scan_settings(), None)
    issues = [i for i in profile.issues if i.kind == "regex_timeout"]
    assert len(issues) == 1
    assert issues[0].message.startswith("2 value(s)")
    assert "123456789018" not in issues[0].message
    assert "JP_MY_NUMBER" not in profile.columns["個人番号"].entities
