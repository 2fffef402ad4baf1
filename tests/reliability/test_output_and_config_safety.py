"""Outputs: a read-only or failing output directory gives a clear error and leaves nothing half-written;
Ctrl-C during a write leaves no temp files; reports only ever land inside --out. Config: YAML is
safe-loaded (a python/object tag is an error, never executed), for scan.yaml, policy.yaml and
users' recognizers.yaml.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

import pipeline
from pipeline.errors import ConfigError, OutputError
from pipeline.models import ColumnResult, DatasetResult, ScanIssue
from pipeline.report import ScanReport, atomic_write_text, write_report

MARKER = "piiscan_yaml_payload_ran"


def tiny_report(dataset: str = "crm/c.csv") -> ScanReport:
    column = ColumnResult(name="氏名", categories=("personal",), entities=())
    return ScanReport(
        datasets=(DatasetResult(dataset=dataset, format="csv", rows_total=1, rows_scanned=1, columns=(column,)),),
        errors=(ScanIssue(path="../../etc/passwd", message="path does not exist", kind="source_error"),),
        started_at="2026-11-25T03:00:00Z",
        finished_at="2026-11-25T03:00:01Z",
        policy_path="configs/policy.yaml",
        policy_sha256="0" * 64,
    )


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    out = tmp_path / "ro"
    out.mkdir()
    (out / "report.json").write_text('{"old": true}\n', encoding="utf-8")
    out.chmod(stat.S_IRUSR | stat.S_IXUSR)
    yield out
    out.chmod(stat.S_IRWXU)


def test_read_only_output_dir_is_a_clear_error_and_nothing_changes(
    read_only_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if os.geteuid() == 0:
        # Root ignores permission bits; make file creation in that folder fail as it would for a user.
        real_mkstemp = __import__("tempfile").mkstemp

        def mkstemp(*args: object, dir: str | os.PathLike[str] | None = None, **kwargs: object) -> tuple[int, str]:
            if dir is not None and Path(dir) == read_only_dir:
                raise PermissionError(13, "Permission denied", str(dir))
            return real_mkstemp(*args, dir=dir, **kwargs)  # type: ignore[no-any-return, call-overload]

        monkeypatch.setattr("pipeline.atomic.tempfile.mkstemp", mkstemp)
        real_mkdtemp = __import__("tempfile").mkdtemp

        def mkdtemp(*args: object, dir: str | os.PathLike[str] | None = None, **kwargs: object) -> str:
            if dir is not None and Path(dir) == read_only_dir:  # write_report stages its set in a new folder
                raise PermissionError(13, "Permission denied", str(dir))
            return real_mkdtemp(*args, dir=dir, **kwargs)  # type: ignore[no-any-return, call-overload]

        monkeypatch.setattr("pipeline.report.writing.tempfile.mkdtemp", mkdtemp)
    with pytest.raises(OutputError) as info:
        write_report(tiny_report(), read_only_dir)
    assert str(read_only_dir) in info.value.message
    assert "Permission denied" in info.value.message
    assert listing(read_only_dir) == ["report.json"]
    assert (read_only_dir / "report.json").read_text(encoding="utf-8") == '{"old": true}\n'


def test_disk_full_mid_write_keeps_the_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.json"
    target.write_text("old\n", encoding="utf-8")

    def no_space(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("pipeline.atomic.os.fsync", no_space)
    with pytest.raises(OutputError) as info:
        atomic_write_text(target, "new " * 1000)
    assert "No space left on device" in info.value.message
    assert target.read_text(encoding="utf-8") == "old\n"
    assert listing(tmp_path) == ["report.json"]


def test_ctrl_c_during_write_leaves_no_temp_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}
    real_replace = os.replace

    def interrupted_replace(src: str, dst: str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # report.md is in place; Ctrl-C arrives while report.html is being placed
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr("pipeline.report.writing.os.replace", interrupted_replace)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        write_report(tiny_report(), out)
    # The report files are one set: the report.md already placed is taken back, and there was no previous set.
    assert listing(out) == []
    assert not [p for p in out.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]


def test_reports_stay_inside_out_whatever_the_dataset_names(tmp_path: Path) -> None:
    out = tmp_path / "a" / "out"
    write_report(tiny_report(dataset="../../../escaped"), out)
    assert listing(out) == ["report.html", "report.json", "report.md"]
    assert listing(tmp_path) == ["a"]
    assert listing(tmp_path / "a") == ["out"]


@pytest.mark.parametrize("which", ["config", "policy", "recognizers"])
def test_yaml_python_tags_are_refused_not_executed(which: str, tmp_path: Path) -> None:
    marker = tmp_path / MARKER
    payload = f'!!python/object/apply:os.system ["touch {marker}"]\n'
    evil = tmp_path / f"{which}.yaml"
    evil.write_text(f"version: 1\nreading: {payload}" if which != "recognizers" else f"recognizers: {payload}", encoding="utf-8")
    lake = tmp_path / "lake"
    lake.mkdir()
    (lake / "a.csv").write_text("x\n1\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        pipeline.scan(str(lake), scheduler="sync", **{which: evil})  # type: ignore[arg-type]
    assert not marker.exists()


def test_no_unsafe_deserialisation_in_the_code() -> None:
    root = Path(__file__).resolve().parents[2]
    forbidden = ("yaml.load(", "yaml.unsafe_load", "yaml.Loader", "yaml.FullLoader", "pickle.load", "marshal.load", "eval(")
    for folder in ("pipeline", "recognizers"):
        for path in (root / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            hits = [word for word in forbidden if word in text]
            assert not hits, f"{path.relative_to(root)} uses {hits}"
