"""The shared findings catalog: DuckDB and a real PostgreSQL server record scans alike, dead scans are marked
failed, concurrent scans both land, and a busy catalog never costs a scan its report.

The PostgreSQL server is real (tests/scale/conftest.py starts Debian's binaries). Child scans run the real
command line in a subprocess; where a test needs the scan to be mid-way, the child stops inside the first
file's profiling (writing a marker file, then sleeping), so the signal lands there and not by luck.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import psycopg
import pytest
from typer.testing import CliRunner

import pipeline
from pipeline import cli
from pipeline.catalog import SCHEMA_VERSION, Catalog, DatasetEntry, new_scan_id
from pipeline.report import ScanReport
from pipeline.settings import ScanSettings, load_scan_settings
from tests.scale.lakes import write_lake

REPO = Path(__file__).resolve().parents[2]
# No GiNZA: these tests are about the catalog, not detection; the pattern recognizers still tag columns.
FAST = {"PIISCAN_DETECTION__NER_ENABLED": "false"}

_STOPPING_CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from pipeline import cli, partition

    marker = Path(sys.argv[1])
    real_profile_file = partition.profile_file

    def stop_here(*args, **kwargs):
        marker.write_text("stopped", encoding="utf-8")
        time.sleep(600)
        return real_profile_file(*args, **kwargs)

    partition.profile_file = stop_here
    sys.argv = ["piiscan", *sys.argv[2:]]
    cli.main()
    """
)


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), **FAST, **extra}


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=REPO, env=_env(**env), capture_output=True, text=True, timeout=600
    )


def _settings() -> ScanSettings:
    return load_scan_settings(None).with_overrides({"detection": {"ner_enabled": False}})


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    root = tmp_path / "lake"
    write_lake(root)
    return root


@pytest.fixture(params=["duckdb", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "duckdb":
        return str(tmp_path / "catalog.duckdb")
    return str(request.getfixturevalue("postgres_url"))


def _statuses(target: str) -> dict[str, str]:
    return {r.scan_id: r.status for r in Catalog(target if target.startswith("postgresql") else Path(target)).history()}


# ---------------------------------------------------------------- same output through both backends


def _record(target: str | Path, scan_id: str, report: ScanReport, sources: list[str]) -> None:
    store = Catalog(target)
    store.begin_scan(scan_id, started_at=report.started_at, sources=sources, config="c0ffee", policy_sha256=report.policy_sha256, incremental=False)
    entries = [DatasetEntry(result=d, fingerprint=None, files=(), reused_from=None) for d in report.datasets]
    store.record_scan(scan_id, report, entries, "c0ffee")


def test_duckdb_and_postgresql_give_the_same_history_and_diff(lake: Path, tmp_path: Path, postgres_url: str) -> None:
    first = pipeline.scan(str(lake), config=_settings(), scheduler="sync")
    # personal data appears: an email column in the orders
    orders = lake / "sales" / "orders.csv"
    lines = orders.read_text(encoding="utf-8").splitlines()
    orders.write_text(
        "\n".join([lines[0] + ",contact", *(f"{line},buyer{i}@example.co.jp" for i, line in enumerate(lines[1:]))]) + "\n",
        encoding="utf-8",
    )
    second = pipeline.scan(str(lake), config=_settings(), scheduler="sync")
    ids = [new_scan_id(), new_scan_id()]
    duck = tmp_path / "catalog.duckdb"
    for target in (duck, postgres_url):
        _record(target, ids[0], first, [str(lake)])
        _record(target, ids[1], second, [str(lake)])

    runner = CliRunner()
    app = cli.app
    outputs: dict[str, list[str]] = {}
    for name, where in (("duckdb", str(duck)), ("postgresql", postgres_url)):
        runs = [
            runner.invoke(app, ["history", "--catalog", where, "--json"]),
            runner.invoke(app, ["history", "--catalog", where]),
            runner.invoke(app, ["diff", "--catalog", where, "--json"]),
            runner.invoke(app, ["diff", "--catalog", where]),
            runner.invoke(app, ["diff", "--catalog", where, "--fail-on-new"]),
        ]
        assert [r.exit_code for r in runs] == [0, 0, 0, 0, 1], [r.output for r in runs]
        outputs[name] = [r.output for r in runs]
    assert outputs["duckdb"] == outputs["postgresql"]
    history = json.loads(outputs["postgresql"][0])
    assert [h["scan_id"] for h in history] == ids[::-1]
    assert {h["status"] for h in history} == {"complete"}
    changes = json.loads(outputs["postgresql"][2])["changes"]
    assert {(c["dataset"], c["column"], c["change"]) for c in changes} == {("sales/orders.csv", "contact", "appeared")}


def test_both_backends_carry_a_schema_version_table(tmp_path: Path, postgres_url: str) -> None:
    duck = tmp_path / "catalog.duckdb"
    for target in (duck, postgres_url):
        Catalog(target).begin_scan("s1", started_at="t", sources=["x"], config="c", policy_sha256="p", incremental=False)
    with duckdb.connect(str(duck), read_only=True) as con:
        duck_versions = [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()]
    with psycopg.connect(postgres_url) as con:
        pg_versions = [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()]
    assert duck_versions == pg_versions == list(range(1, SCHEMA_VERSION + 1))


def test_a_version_one_duckdb_catalog_is_migrated_in_place(tmp_path: Path) -> None:
    """A catalog written before schema_version existed (catalog_meta says 1) keeps its scans and gains owners."""
    from pipeline.catalog import _MIGRATIONS

    duck = tmp_path / "old.duckdb"
    with duckdb.connect(str(duck)) as con:
        con.execute(_MIGRATIONS[0][2].format(double="DOUBLE"))
        con.execute("INSERT INTO catalog_meta VALUES ('schema_version', '1')")
        con.execute(
            "INSERT INTO scans (scan_id, started_at, finished_at, started_ns, status, config_hash, sources, incremental,"
            " tool_version) VALUES ('old1', 't', 't', 1, 'complete', 'c', '[\"x\"]', false, '0')"
        )
    store = Catalog(duck)
    store.begin_scan("new1", started_at="t2", sources=["y"], config="c", policy_sha256="p", incremental=False)
    assert _statuses(str(duck)) == {"old1": "complete", "new1": "running"}
    with duckdb.connect(str(duck), read_only=True) as con:
        assert con.execute("SELECT max(version) FROM schema_version").fetchone() == (SCHEMA_VERSION,)
        assert con.execute("SELECT owner_pid FROM scans WHERE scan_id = 'new1'").fetchone() == (os.getpid(),)


# ---------------------------------------------------------------- dead scans are marked failed


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "SIGTERM"])
def test_a_scan_killed_mid_way_is_failed_by_the_next_start(lake: Path, tmp_path: Path, target: str, how: signal.Signals) -> None:
    marker = tmp_path / "stopped"
    with subprocess.Popen(
        [sys.executable, "-c", _STOPPING_CHILD, str(marker), "scan", str(lake), "--scheduler", "sync",
         "--catalog", target, "--out", str(tmp_path / "out"), "--quiet"],
        cwd=REPO, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    ) as child:  # closes its pipes on the way out
        try:
            deadline = time.monotonic() + 300
            while not marker.exists():
                assert child.poll() is None, child.communicate()[1].decode(errors="replace")[-2000:]
                assert time.monotonic() < deadline, "the child scan never reached the point to stop it at"
                time.sleep(0.1)
            os.kill(child.pid, how)
            child.wait(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    (killed,) = _statuses(target)
    if how == signal.SIGTERM:
        assert child.returncode == 128 + signal.SIGTERM  # it stopped by itself, and said so in the catalog
        assert _statuses(target) == {killed: "failed"}
    else:
        assert child.returncode == -signal.SIGKILL
        assert _statuses(target) == {killed: "running"}  # nobody could mark it: the process died at once

    result = _cli("scan", str(lake), "--scheduler", "sync", "--catalog", target, "--out", str(tmp_path / "out2"), "--quiet")
    assert result.returncode == 0, result.stderr[-2000:]
    statuses = _statuses(target)
    assert statuses.pop(killed) == "failed"
    assert list(statuses.values()) == ["complete"]


def test_a_running_scan_of_a_live_process_is_left_running(tmp_path: Path) -> None:
    """The reaper only fails scans whose owner is gone: this very process still runs its scan."""
    duck = tmp_path / "catalog.duckdb"
    Catalog(duck).begin_scan("mine", started_at="t", sources=["x"], config="c", policy_sha256="p", incremental=False)
    Catalog(duck).begin_scan("next", started_at="t", sources=["x"], config="c", policy_sha256="p", incremental=False)
    assert _statuses(str(duck)) == {"mine": "running", "next": "running"}


def test_a_running_scan_from_another_host_fails_when_its_lease_runs_out(tmp_path: Path) -> None:
    duck = tmp_path / "catalog.duckdb"
    store = Catalog(duck)
    store.begin_scan("fresh", started_at="t", sources=["x"], config="c", policy_sha256="p", incremental=False)
    store.begin_scan("stale", started_at="t", sources=["x"], config="c", policy_sha256="p", incremental=False)
    old = time.time_ns() - int(3600e9)
    with duckdb.connect(str(duck)) as con:
        con.execute("UPDATE scans SET owner_host = 'elsewhere|boot|pid:[1]', owner_pid = 1")
        con.execute("UPDATE scans SET heartbeat_ns = ?, started_ns = ? WHERE scan_id = 'stale'", [old, old])
    store.begin_scan("third", started_at="t", sources=["x"], config="c", policy_sha256="p", incremental=False)
    assert _statuses(str(duck)) == {"fresh": "running", "stale": "failed", "third": "running"}


# ---------------------------------------------------------------- concurrent scans


@pytest.mark.slow
def test_two_scans_at_once_are_both_recorded(lake: Path, tmp_path: Path, target: str) -> None:
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "pipeline", "scan", str(lake), "--scheduler", "sync", "--catalog", target,
             "--out", str(tmp_path / f"out{i}"), "--quiet"],
            cwd=REPO, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        for i in range(2)
    ]
    errors = [child.communicate(timeout=600)[1] for child in children]  # reads both pipes to the end, closes them
    results = [(child.returncode, err.decode(errors="replace")) for child, err in zip(children, errors, strict=True)]
    assert [code for code, _ in results] == [0, 0], [err[-2000:] for _, err in results]
    statuses = _statuses(target)
    assert sorted(statuses.values()) == ["complete", "complete"]
    for i in range(2):
        report = json.loads((tmp_path / f"out{i}" / "report.json").read_text(encoding="utf-8"))
        assert not report["errors"]


# ---------------------------------------------------------------- a reader holding the DuckDB file

_READER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import duckdb

    con = duckdb.connect(sys.argv[1], read_only=True)   # a notebook looking at the catalog
    con.execute("SELECT count(*) FROM scans").fetchall()
    Path(sys.argv[2]).write_text("open", encoding="utf-8")
    time.sleep(float(sys.argv[3]))
    con.close()
    """
)


def _hold_catalog(db: Path, tmp_path: Path, seconds: float) -> subprocess.Popen[bytes]:
    opened = tmp_path / "reader-open"
    reader = subprocess.Popen([sys.executable, "-c", _READER, str(db), str(opened), str(seconds)])
    deadline = time.monotonic() + 60
    while not opened.exists():
        assert reader.poll() is None and time.monotonic() < deadline, "the reader never opened the catalog"
        time.sleep(0.05)
    return reader


@pytest.mark.slow
def test_a_reader_holding_the_catalog_does_not_cost_the_scan_its_report(lake: Path, tmp_path: Path) -> None:
    db = tmp_path / "catalog.duckdb"
    assert _cli("scan", str(lake), "--scheduler", "sync", "--catalog", str(db), "--out", str(tmp_path / "first"), "--quiet").returncode == 0
    reader = _hold_catalog(db, tmp_path, 300)
    try:
        started = time.monotonic()
        result = _cli("scan", str(lake), "--scheduler", "sync", "--catalog", str(db), "--out", str(tmp_path / "out"),
                      "--quiet", PIISCAN_CATALOG_WAIT="2")
        elapsed = time.monotonic() - started
    finally:
        reader.kill()
        reader.wait()
    assert result.returncode == 3, result.stderr[-2000:]  # the report has an error entry: the catalog was not updated
    assert "was not updated" in result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    catalog_errors = [e for e in report["errors"] if e["kind"] == "catalog_error"]
    assert len(catalog_errors) == 1 and "not updated" in catalog_errors[0]["message"]
    assert len(report["datasets"]) == 3
    assert (tmp_path / "out" / "report.md").exists() and (tmp_path / "out" / "report.html").exists()
    assert elapsed < 120  # two bounded waits of 2 s plus the scan, not an unbounded hang
    assert list(_statuses(str(db)).values()) == ["complete"]  # the earlier scan, untouched


@pytest.mark.slow
def test_a_reader_that_lets_go_within_the_wait_lets_the_scan_be_recorded(lake: Path, tmp_path: Path) -> None:
    db = tmp_path / "catalog.duckdb"
    assert _cli("scan", str(lake), "--scheduler", "sync", "--catalog", str(db), "--out", str(tmp_path / "first"), "--quiet").returncode == 0
    reader = _hold_catalog(db, tmp_path, 3)
    try:
        result = _cli("scan", str(lake), "--scheduler", "sync", "--catalog", str(db), "--out", str(tmp_path / "out"),
                      "--quiet", PIISCAN_CATALOG_WAIT="60")
    finally:
        reader.wait(timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert sorted(_statuses(str(db)).values()) == ["complete", "complete"]


# ---------------------------------------------------------------- the report set on a full disk


def _report_set(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _two_reports(lake: Path) -> tuple[ScanReport, ScanReport]:
    small = pipeline.scan(str(lake / "sales"), config=_settings(), scheduler="sync")
    big = pipeline.scan(str(lake), config=_settings(), scheduler="sync")
    return small, big


def _tmpfs(where: Path, size: str) -> bool:
    where.mkdir()
    if os.geteuid() != 0:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True).returncode == 0


@pytest.mark.slow
def test_a_full_disk_leaves_the_previous_report_set_whole(lake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline import report as report_module
    from pipeline.errors import OutputError
    from pipeline.report import writing

    small, big = _two_reports(lake)
    disk = tmp_path / "disk"
    mounted = _tmpfs(disk, "2m")
    try:
        out = disk / "out"
        report_module.write_report(small, out)
        before = _report_set(out)
        new_md = report_module.render_markdown(big).encode("utf-8")
        if mounted:
            # Fill the disk so that the new report.md still fits but report.html does not.
            free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
            filler = free - len(new_md) - 3 * 4096
            assert filler > 0
            (disk / "filler").write_bytes(b"\0" * filler)
        else:  # no tmpfs to fill (not root): the disk fills up while report.html is written
            real = writing.write_synced

            def full_after_md(path: Path, text: str) -> None:
                if path.name == "report.html":
                    raise OSError(28, "No space left on device")
                real(path, text)

            monkeypatch.setattr(writing, "write_synced", full_after_md)
        with pytest.raises(OutputError, match="previous report is unchanged"):
            report_module.write_report(big, out)
        assert _report_set(out) == before  # old report.json beside the old report.md, nothing else
        assert json.loads(before["report.json"])["datasets"][0]["dataset"] == "orders.csv"
    finally:
        if mounted:
            subprocess.run(["umount", str(disk)], check=True)


def test_a_failed_rename_puts_the_previous_report_set_back(lake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline import report as report_module
    from pipeline.errors import OutputError

    small, big = _two_reports(lake)
    out = tmp_path / "out"
    report_module.write_report(small, out)
    before = _report_set(out)
    real_replace = os.replace

    def refuse_json(src: str | Path, dst: str | Path) -> None:
        if Path(dst).name == "report.json" and ".report-set-" in str(src):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", refuse_json)
    with pytest.raises(OutputError):
        report_module.write_report(big, out)
    assert _report_set(out) == before
    monkeypatch.setattr(os, "replace", real_replace)
    report_module.write_report(big, out)
    after = _report_set(out)
    assert set(after) == {"report.json", "report.md", "report.html"}
    assert len(json.loads(after["report.json"])["datasets"]) == 3
    assert b"orders.csv" in after["report.md"] and b"customers" in after["report.md"]


def test_the_report_files_are_readable_by_others(lake: Path, tmp_path: Path) -> None:
    small, _ = _two_reports(lake)
    from pipeline.report import write_report

    out = tmp_path / "out"
    write_report(small, out)
    assert {p.name for p in out.iterdir()} == {"report.json", "report.md", "report.html"}  # no staging folder left
    assert all((out / name).stat().st_mode & 0o044 for name in ("report.json", "report.md", "report.html"))


def test_incremental_scans_start_on_an_empty_postgresql_database_and_reuse_through_it(lake: Path, postgres_url: str, caplog: pytest.LogCaptureFixture) -> None:
    first = pipeline.scan(str(lake), config=_settings(), scheduler="sync", catalog=postgres_url, incremental=True)
    assert first.errors == ()
    assert not [r for r in caplog.records if "catalog" in r.getMessage()]
    pipeline.scan(str(lake), config=_settings(), scheduler="sync", catalog=postgres_url, incremental=True)
    latest, earlier = Catalog(postgres_url).history()
    assert (latest.status, latest.datasets_reused, latest.files_read) == ("complete", 3, 0)
    assert (earlier.status, earlier.datasets_reused, earlier.files_read) == ("complete", 0, 4)


def test_a_running_scan_refreshes_its_heartbeat(tmp_path: Path) -> None:
    duck = tmp_path / "catalog.duckdb"
    store = Catalog(duck)
    store.begin_scan("beating", started_at="t", sources=["x"], config="c", policy_sha256="p", incremental=False)

    def beat() -> int:
        # read-write, as the heartbeat thread opens it: one process cannot mix the two modes on one file
        with duckdb.connect(str(duck)) as con:
            row = con.execute("SELECT heartbeat_ns FROM scans WHERE scan_id = 'beating'").fetchone()
        assert row is not None
        return int(row[0])

    first = beat()
    with store.heartbeats("beating", every=0.2):
        deadline = time.monotonic() + 30
        while beat() == first:
            assert time.monotonic() < deadline, "the heartbeat never moved"
            time.sleep(0.1)
    assert beat() > first


def test_a_sigterm_between_two_renames_puts_the_previous_report_set_back(
    lake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline import report as report_module

    small, big = _two_reports(lake)
    out = tmp_path / "out"
    report_module.write_report(small, out)
    before = _report_set(out)
    real_replace = os.replace

    def terminated_before_json(src: str | Path, dst: str | Path) -> None:
        if Path(dst).name == "report.json" and ".report-set-" in str(src):
            raise SystemExit(128 + signal.SIGTERM)  # what the CLI's SIGTERM handler raises
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", terminated_before_json)
    with pytest.raises(SystemExit):
        report_module.write_report(big, out)
    assert _report_set(out) == before
