"""Detection keeps going: values over the regex time budget become a file issue; invalid bytes are replaced."""

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


def test_invalid_utf8_in_a_parquet_string_column_is_replaced_not_fatal() -> None:
    """Parquet does not validate UTF-8; a damaged file must not stop the scan (found by the fuzzer)."""
    import pyarrow as pa

    from pipeline.detect import profile_column
    from pipeline.settings import DetectionSettings

    offsets = pa.py_buffer(b"\x00\x00\x00\x00\x02\x00\x00\x00\x04\x00\x00\x00")
    broken = pa.Array.from_buffers(pa.string(), 2, [None, offsets, pa.py_buffer(b"a\x80b\xff")])
    profile = profile_column("c", broken, pattern_recognizers(None), DetectionSettings())
    assert profile.non_null == 2
    assert sorted(profile.sketch.values()) == ["a\ufffd", "b\ufffd"]
