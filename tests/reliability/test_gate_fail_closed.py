"""The gate fails closed by construction, and scans stay inside their sources (issue #12).

One test per case. For every case: ``check`` exits 1 or 2 (never 0); ``scan`` exits 0 or 3 and names
the case in ``errors`` when a file was not read; no traceback; and no planted raw value in any output
(report.json/html/md, verdict.json, the terminal). The commands run through the real CLI (typer's
runner, in-process, NER off for speed); cases that could hang a process if they regressed (a FIFO)
run in a child process with a timeout.
"""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from pipeline import api
from pipeline.sources import discover_all
from tests.reliability.conftest import NO_NER_CONFIG

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()

SURNAMES = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村"]
GIVEN = ["太郎", "花子", "一郎", "美咲", "健太", "陽子", "大輔", "由美"]


def planted(seed: int, rows: int = 40) -> dict[str, list[str]]:
    """Fictitious personal values, seeded: what no output may quote."""
    rng = random.Random(seed)
    return {
        "氏名": [f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}" for _ in range(rows)],
        "電話番号": [f"090-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}" for _ in range(rows)],
        "メールアドレス": [f"planted.{rng.randint(10**6, 10**7)}@example.co.jp" for _ in range(rows)],
    }


def needles(values: dict[str, list[str]]) -> set[str]:
    found: set[str] = set()
    for items in values.values():
        for item in items:
            found.add(item)
            found.add(item.replace(" ", ""))
            digits = "".join(ch for ch in item if ch.isdigit())
            if len(digits) >= 8:
                found.add(digits)
    return {n for n in found if len(n) >= 5}


def csv_text(values: dict[str, list[str]], sep: str = ",") -> str:
    lines = [sep.join(values)] + [sep.join(row) for row in zip(*values.values(), strict=True)]
    return "\n".join(lines) + "\n"


def write_clean(lake: Path) -> None:
    """A table with no personal data: allowed for every destination on its own."""
    rng = random.Random(3)
    rows = [f"SKU-{i:05d},{rng.choice(['red', 'blue', 'green'])},{rng.randint(100, 9000)}" for i in range(60)]
    (lake / "inventory.csv").write_text("sku,colour,price_yen\n" + "\n".join(rows) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    from pipeline.cli import app

    return app


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    root = tmp_path / "lake"
    root.mkdir()
    write_clean(root)
    return root


class Run:
    """One CLI run: exit code, terminal text, and every file it wrote."""

    def __init__(self, code: int, output: str, out: Path) -> None:
        self.code = code
        self.output = output
        self.out = out

    def texts(self) -> dict[str, str]:
        found = {"terminal": self.output}
        for name in ("report.json", "report.md", "report.html", "verdict.json"):
            if (self.out / name).exists():
                found[name] = (self.out / name).read_text(encoding="utf-8")
        return found

    def json(self, name: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.out / name).read_text(encoding="utf-8"))
        return data

    def errors(self) -> list[dict[str, str]]:
        report = self.json("report.json")
        return list(report["errors"]) + [e for d in report["datasets"] for e in d["errors"]]

    def assert_no_leak(self, found: set[str]) -> None:
        for where, text in self.texts().items():
            leaked = sorted(n for n in found if n in text)
            assert not leaked, f"{where} holds {len(leaked)} planted raw values"


def _invoke(app: typer.Typer, args: list[str], out: Path) -> Run:
    result = runner.invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return Run(result.exit_code, result.output, out)


def check(app: typer.Typer, sources: list[Path], destination: str, out: Path, *extra: str) -> Run:
    args = ["check", *map(str, sources), "--destination", destination, "--out", str(out),
            "--config", str(NO_NER_CONFIG), "--scheduler", "sync", *extra]
    return _invoke(app, args, out)


def scan(app: typer.Typer, sources: list[Path], out: Path, *extra: str) -> Run:
    args = ["scan", *map(str, sources), "--out", str(out), "--config", str(NO_NER_CONFIG),
            "--scheduler", "sync", "--no-catalog", *extra]
    return _invoke(app, args, out)


def child(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The real console entry point in a child process under the socket guard."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "tests.reliability.netguard", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )


def skipped_paths(run: Run) -> list[str]:
    return [e["path"] for e in run.errors() if e["kind"] == "skipped"]


# ---------------------------------------------------------------- the clean baseline


def test_the_clean_baseline_is_allowed(app: typer.Typer, lake: Path, tmp_path: Path) -> None:
    """Without it, every "not allowed" below could be the baseline's fault."""
    for destination in ("statistics", "third_party"):
        run = check(app, [lake], destination, tmp_path / destination)
        assert run.code == 0, run.output
    assert scan(app, [lake], tmp_path / "scan").code == 0


# ---------------------------------------------------------------- diluted personal data


def test_a_column_45_percent_email_blocks_with_the_share(app: typer.Typer, lake: Path, tmp_path: Path) -> None:
    values = planted(1, rows=40)
    rng = random.Random(5)
    cells = [values["メールアドレス"][i] if i < 18 else rng.choice(["", "-"]) for i in range(40)]
    rng.shuffle(cells)
    (lake / "export.csv").write_text(
        "id,field_b\n" + "\n".join(f"{i},{cell}" for i, cell in enumerate(cells)) + "\n", encoding="utf-8"
    )
    run = check(app, [lake], "statistics", tmp_path / "check")
    assert run.code == 1, run.output
    (reason,) = [r for r in run.json("verdict.json")["reasons"] if r["dataset"] == "export.csv"]
    assert reason["columns"] == ["field_b"] and reason["category"] == "personal"
    assert "EMAIL_ADDRESS" in reason["detail"] and "%" in reason["detail"]
    scanned = scan(app, [lake], tmp_path / "scan")
    assert scanned.code == 0
    columns = {c["name"]: c for d in scanned.json("report.json")["datasets"] for c in d["columns"]}
    assert [h["type"] for h in columns["field_b"]["value_hits"]] == ["EMAIL_ADDRESS"]
    run.assert_no_leak(needles(values))
    scanned.assert_no_leak(needles(values))


def test_anonymize_treats_diluted_columns_like_tagged_ones(
    app: typer.Typer, lake: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the gate blocks on, anonymize removes: the copy passes the same gate."""
    values = planted(15, rows=40)
    cells = [values["メールアドレス"][i] if i % 2 else "-" for i in range(40)]
    (lake / "export.csv").write_text("id,field_b\n" + "\n".join(f"{i},{c}" for i, c in enumerate(cells)) + "\n", encoding="utf-8")
    monkeypatch.setenv("PIISCAN_HASH_KEY", "gate-fail-closed-test-key")
    out = tmp_path / "copy"
    result = runner.invoke(app, ["anonymize", str(lake), "--destination", "statistics", "--out", str(out),
                                 "--config", str(NO_NER_CONFIG), "--scheduler", "sync"])
    assert result.exit_code == 0, result.output
    copied = (out / "export.csv").read_text(encoding="utf-8")
    assert "field_b" not in copied and "@" not in copied
    assert check(app, [out], "statistics", tmp_path / "recheck").code == 0


def test_a_notes_column_with_a_few_phone_numbers_blocks(app: typer.Typer, lake: Path, tmp_path: Path) -> None:
    values = planted(2, rows=60)
    notes = ["配送済み", "在庫確認中", "返品なし", "要確認", "対応完了"]
    rng = random.Random(6)
    cells = [f"折り返し {values['電話番号'][i]} まで" if i % 20 == 0 else rng.choice(notes) for i in range(60)]
    (lake / "orders.csv").write_text(
        "order_id,備考\n" + "\n".join(f"A{i:04d},{cell}" for i, cell in enumerate(cells)) + "\n", encoding="utf-8"
    )
    run = check(app, [lake], "third_party", tmp_path / "check")
    assert run.code == 1, run.output
    reasons = [r for r in run.json("verdict.json")["reasons"] if r["dataset"] == "orders.csv"]
    assert reasons and reasons[0]["columns"] == ["備考"] and "PHONE_NUMBER" in reasons[0]["detail"]
    run.assert_no_leak(needles(values))


def test_the_floor_is_per_destination(app: typer.Typer, lake: Path, tmp_path: Path) -> None:
    """A destination may set a higher floor; a share below it no longer counts for that destination."""
    from pipeline.settings import DEFAULT_POLICY

    values = planted(3, rows=60)
    cells = [values["電話番号"][i] if i < 3 else "-" for i in range(60)]
    (lake / "contacts.csv").write_text("id,x\n" + "\n".join(f"{i},{c}" for i, c in enumerate(cells)) + "\n", encoding="utf-8")
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    policy = tmp_path / "policy.yaml"
    policy.write_text(text.replace("personal_share_floor: 0.0", "personal_share_floor: 0.2"), encoding="utf-8")
    assert check(app, [lake], "statistics", tmp_path / "default").code == 1
    assert check(app, [lake], "statistics", tmp_path / "floor", "--policy", str(policy)).code == 0


# ---------------------------------------------------------------- files that are not read


def _assert_skipped(app: typer.Typer, lake: Path, tmp_path: Path, name: str, found: set[str]) -> None:
    run = check(app, [lake], "statistics", tmp_path / "check")
    assert run.code == 2, run.output
    verdict = run.json("verdict.json")
    assert verdict["decision"] == "undecidable"
    assert any(p["path"].endswith(name) and p["kind"] == "skipped" for p in verdict["problems"]), verdict["problems"]
    scanned = scan(app, [lake], tmp_path / "scan")
    assert scanned.code == 3
    assert any(p.endswith(name) for p in skipped_paths(scanned)), scanned.errors()
    assert name in scanned.output.replace("\n", "")  # named on the terminal too (rich wraps long lines)
    for done in (run, scanned):
        done.assert_no_leak(found)


def test_an_unknown_binary_file_is_skipped_and_named(app: typer.Typer, lake: Path, tmp_path: Path) -> None:
    values = planted(4)
    (lake / "dump.dat").write_bytes(b"\x00\x01\x02\x03" + csv_text(values).encode("utf-16-le"))
    _assert_skipped(app, lake, tmp_path, "dump.dat", needles(values))


def test_a_hidden_file_is_skipped_unless_excluded_on_purpose(app: typer.Typer, lake: Path, tmp_path: Path) -> None:
    values = planted(5)
    (lake / ".customers.csv").write_text(csv_text(values), encoding="utf-8")
    _assert_skipped(app, lake, tmp_path, ".customers.csv", needles(values))
    excluded = check(app, [lake], "statistics", tmp_path / "excluded", "--exclude", ".customers.csv")
    assert excluded.code == 0, excluded.output
    listed = excluded.json("verdict.json")["excluded"]
    assert [(Path(e["path"]).name, e["pattern"]) for e in listed] == [(".customers.csv", ".customers.csv")]
    excluded.assert_no_leak(needles(values))
    assert scan(app, [lake], tmp_path / "scan-excluded", "--exclude", ".customers.csv").code == 0


def test_a_hidden_folder_is_skipped_and_named(app: typer.Typer, lake: Path, tmp_path: Path) -> None:
    values = planted(14)
    (lake / ".ipynb_checkpoints").mkdir()
    (lake / ".ipynb_checkpoints" / "customers-checkpoint.csv").write_text(csv_text(values), encoding="utf-8")
    # piiscan's own catalog folder is not data: it must not make every scan of "." undecidable.
    (lake / ".piiscan").mkdir()
    (lake / ".piiscan" / "catalog.duckdb").write_bytes(b"\x00\x01DUCK\x00")
    found = discover_all([str(lake)])
    assert [(Path(i.path).name, i.kind) for i in found.issues] == [(".ipynb_checkpoints", "skipped")]
    _assert_skipped(app, lake, tmp_path, ".ipynb_checkpoints", needles(values))


@pytest.mark.parametrize(("name", "sep"), [("customers.txt", ","), ("customers.tsv.bak", "\t"), ("people.dat", ",")])
def test_text_under_an_unknown_name_is_read_not_skipped(
    app: typer.Typer, lake: Path, tmp_path: Path, name: str, sep: str
) -> None:
    values = planted(6)
    (lake / name).write_text(csv_text(values, sep), encoding="utf-8")
    run = check(app, [lake], "statistics", tmp_path / "check")
    assert run.code == 1, run.output
    reasons = [r for r in run.json("verdict.json")["reasons"] if r["dataset"] == name]
    assert {"氏名", "電話番号", "メールアドレス"} <= {c for r in reasons for c in r["columns"]}
    scanned = scan(app, [lake], tmp_path / "scan")
    assert scanned.code == 0 and name in [d["dataset"] for d in scanned.json("report.json")["datasets"]]
    run.assert_no_leak(needles(values))
    scanned.assert_no_leak(needles(values))


def test_compressed_text_under_an_unknown_name_is_read_and_a_broken_one_named(
    app: typer.Typer, lake: Path, tmp_path: Path
) -> None:
    import gzip

    values = planted(17)
    (lake / "people.txt.gz").write_bytes(gzip.compress(csv_text(values).encode("utf-8")))
    run = check(app, [lake], "statistics", tmp_path / "read")
    assert run.code == 1, run.output
    (lake / "broken.log.gz").write_bytes(b"\x1f\x8b\x08\x00garbage" + csv_text(values).encode("utf-8")[:40])
    run = check(app, [lake], "statistics", tmp_path / "broken")
    assert run.code == 2, run.output
    assert any(p["path"].endswith("broken.log.gz") for p in run.json("verdict.json")["problems"])
    run.assert_no_leak(needles(values))


@pytest.mark.slow
def test_a_fifo_is_skipped_never_opened(lake: Path, tmp_path: Path) -> None:
    os.mkfifo(lake / "stream.csv")  # opening it for reading would block forever: no writer
    out = tmp_path / "out"
    checked = child("check", str(lake), "--destination", "statistics", "--out", str(out / "check"),
                    "--config", str(NO_NER_CONFIG), "--scheduler", "sync", cwd=tmp_path, timeout=240)
    assert checked.returncode == 2, checked.stderr
    assert "Traceback" not in checked.stderr
    problems = json.loads((out / "check" / "verdict.json").read_text(encoding="utf-8"))["problems"]
    assert any(p["path"].endswith("stream.csv") and "FIFO" in p["message"] for p in problems)
    scanned = child("scan", str(lake), "--out", str(out / "scan"), "--config", str(NO_NER_CONFIG),
                    "--scheduler", "sync", "--no-catalog", cwd=tmp_path, timeout=240)
    assert scanned.returncode == 3, scanned.stderr
    assert "stream.csv" in scanned.stderr


def test_a_file_read_in_part_makes_check_undecidable(app: typer.Typer, lake: Path, tmp_path: Path) -> None:
    values = planted(7)
    text = csv_text(values).encode("utf-8")
    (lake / "broken.csv").write_bytes(text.replace(b"\n", b"\n\xff", 1))  # one bad byte in the first row
    run = check(app, [lake], "outsourcing", tmp_path / "check")  # nothing blocks there: only doubt can stop it
    assert run.code == 2, run.output
    assert any(p["path"].endswith("broken.csv") for p in run.json("verdict.json")["problems"])
    scanned = scan(app, [lake], tmp_path / "scan")
    assert scanned.code == 3 and any(e["path"].endswith("broken.csv") for e in scanned.errors())
    run.assert_no_leak(needles(values))
    scanned.assert_no_leak(needles(values))


def test_a_binary_column_that_was_not_scanned_makes_check_undecidable(
    app: typer.Typer, lake: Path, tmp_path: Path
) -> None:
    """Blobs are not text: the recognizers never read them, so no column verdict exists for them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    values = planted(16, rows=10)
    blobs = [b"\xff\xfe" + v.encode("utf-16-le") for v in values["電話番号"]]
    pq.write_table(pa.table({"id": list(range(10)), "payload": pa.array(blobs, pa.binary())}), lake / "blobs.parquet")
    run = check(app, [lake], "outsourcing", tmp_path / "check")
    assert run.code == 2, run.output
    problems = run.json("verdict.json")["problems"]
    assert [(p["kind"], "payload" in p["message"]) for p in problems] == [("column_not_scanned", True)]
    scanned = scan(app, [lake], tmp_path / "scan")
    assert scanned.code in (0, 3)
    run.assert_no_leak(needles(values))
    scanned.assert_no_leak(needles(values))


# ---------------------------------------------------------------- scope: links


@pytest.fixture
def outside(tmp_path: Path) -> tuple[Path, dict[str, list[str]]]:
    """A folder outside the lake holding personal data (as /usr/share or /proc would hold something)."""
    values = planted(8)
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "people.csv").write_text(csv_text(values), encoding="utf-8")
    return folder, values


def test_a_file_link_out_of_the_source_is_skipped(
    app: typer.Typer, lake: Path, tmp_path: Path, outside: tuple[Path, dict[str, list[str]]]
) -> None:
    folder, values = outside
    (lake / "linked.csv").symlink_to(folder / "people.csv")
    _assert_skipped(app, lake, tmp_path, "linked.csv", needles(values))
    followed = check(app, [lake], "statistics", tmp_path / "followed", "--follow-links")
    assert followed.code == 1, followed.output  # read when asked: the data blocks
    followed.assert_no_leak(needles(values))


def test_a_folder_link_out_of_the_source_is_skipped(
    app: typer.Typer, lake: Path, tmp_path: Path, outside: tuple[Path, dict[str, list[str]]]
) -> None:
    folder, values = outside
    (lake / "shared").symlink_to(folder, target_is_directory=True)
    _assert_skipped(app, lake, tmp_path, "shared", needles(values))


def test_a_link_inside_the_source_is_still_followed(lake: Path) -> None:
    (lake / "latest.csv").symlink_to(lake / "inventory.csv")
    found = discover_all([str(lake)])
    assert not found.issues
    assert sorted(ref.name for ref in found.datasets) == ["inventory.csv", "latest.csv"]


def test_anonymize_never_copies_files_from_outside_its_source(
    app: typer.Typer, lake: Path, tmp_path: Path, outside: tuple[Path, dict[str, list[str]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder, values = outside
    (lake / "linked.csv").symlink_to(folder / "people.csv")
    monkeypatch.setenv("PIISCAN_HASH_KEY", "gate-fail-closed-test-key")
    out = tmp_path / "copy"
    result = runner.invoke(app, ["anonymize", str(lake), "--destination", "statistics", "--out", str(out),
                                 "--config", str(NO_NER_CONFIG), "--scheduler", "sync"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "linked.csv" in result.output
    assert not out.exists() or not any(out.rglob("*"))
    leaked = [n for n in needles(values) if n in result.output]
    assert not leaked
    # Excluding the link on purpose: the copy holds the lake's own file only.
    result = runner.invoke(app, ["anonymize", str(lake), "--destination", "statistics", "--out", str(out),
                                 "--config", str(NO_NER_CONFIG), "--scheduler", "sync", "--exclude", "linked.csv"])
    assert result.exit_code == 0, result.output
    copied = sorted(p.name for p in out.rglob("*") if p.is_file())
    assert copied == ["_anonymize.json", "inventory.csv"]
    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not [n for n in needles(values) if n in text]


# ---------------------------------------------------------------- consent column


def _members(lake: Path, values: dict[str, list[str]], consent: list[str]) -> None:
    table = {"氏名": values["氏名"], "メールアドレス": values["メールアドレス"], "同意": consent}
    (lake / "members.csv").write_text(csv_text(table), encoding="utf-8")


def test_the_personal_column_named_as_consent_column_never_allows(app: typer.Typer, lake: Path, tmp_path: Path) -> None:
    values = planted(9)
    _members(lake, values, ["同意済"] * len(values["氏名"]))
    assert check(app, [lake], "third_party", tmp_path / "ok", "--consent-column", "同意").code == 0
    for column in ("氏名", "メールアドレス"):
        run = check(app, [lake], "third_party", tmp_path / column, "--consent-column", column)
        assert run.code in (1, 2), run.output
        verdict = run.json("verdict.json")
        assert verdict["decision"] == "undecidable"
        assert any(p["kind"] == "consent_column_invalid" and column in p["message"] for p in verdict["problems"])
        run.assert_no_leak(needles(values))


def test_a_consent_column_of_other_values_is_not_read_as_consent(app: typer.Typer, lake: Path, tmp_path: Path) -> None:
    values = planted(10)
    rows = len(values["氏名"])
    _members(lake, values, [["同意済", "2026-04-01", "要確認 (電話で)"][i % 3] for i in range(rows)])
    run = check(app, [lake], "third_party", tmp_path / "check", "--consent-column", "同意")
    assert run.code == 2, run.output
    (problem,) = [p for p in run.json("verdict.json")["problems"] if p["kind"] == "consent_column_invalid"]
    assert f"{rows // 3} of {rows} values" in problem["message"]


# ---------------------------------------------------------------- names


def test_two_sources_with_the_same_dataset_name_are_reported_apart(
    app: typer.Typer, tmp_path: Path
) -> None:
    values = planted(11)
    first, second = tmp_path / "a" / "lake", tmp_path / "b" / "lake"
    for folder in (first, second):
        folder.mkdir(parents=True)
    write_clean(first)
    (first / "inventory.csv").rename(first / "customers.csv")
    (second / "customers.csv").write_text(csv_text(values), encoding="utf-8")
    for order in ([first, second], [second, first]):
        run = check(app, order, "statistics", tmp_path / "check")
        assert run.code == 1, run.output
        datasets = run.json("verdict.json")["datasets"]
        assert len(datasets) == 2 and len(set(datasets)) == 2
        assert all(d.endswith("lake/customers.csv") for d in datasets)
        blocked = {r["dataset"] for r in run.json("verdict.json")["reasons"]}
        assert blocked == {d for d in datasets if "b/lake" in d}
        run.assert_no_leak(needles(values))


def test_a_file_name_that_is_not_utf8_is_reported_with_escapes(app: typer.Typer, lake: Path, tmp_path: Path) -> None:
    values = planted(12)
    name = os.fsdecode(b"\xff\xfecustomers.csv")
    (lake / name).write_text(csv_text(values), encoding="utf-8")
    scanned = scan(app, [lake], tmp_path / "scan")
    assert scanned.code in (0, 3), scanned.output
    names = [d["dataset"] for d in scanned.json("report.json")["datasets"]]
    assert "\\xff\\xfecustomers.csv" in names
    run = check(app, [lake], "statistics", tmp_path / "check")
    assert run.code == 1, run.output
    assert any(r["dataset"] == "\\xff\\xfecustomers.csv" for r in run.json("verdict.json")["reasons"])
    scanned.assert_no_leak(needles(values))
    run.assert_no_leak(needles(values))


# ---------------------------------------------------------------- nothing listens beyond loopback


def _listening(pid: int) -> list[str]:
    import psutil

    process = psutil.Process(pid)
    found = []
    for proc in (process, *process.children(recursive=True)):
        try:
            connections = proc.net_connections(kind="inet")
        except psutil.Error:
            continue
        found += [c.laddr.ip for c in connections if c.status == psutil.CONN_LISTEN]
    return found


@pytest.mark.slow
def test_the_local_cluster_and_its_dashboard_listen_on_loopback_only() -> None:
    with api.dask_scheduler("local", 1) as client:
        assert not isinstance(client, str)
        assert client.scheduler.address.startswith("tcp://127.0.0.1:")
        listening = _listening(os.getpid())
        assert listening  # the scheduler and its HTTP server listen: else this proves nothing
        assert set(listening) == {"127.0.0.1"}, listening


@pytest.fixture
def no_loopback(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real_bind = socket.socket.bind

    def refuse(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise OSError(99, "Cannot assign requested address")
        real_bind(self, address)

    monkeypatch.setattr(socket.socket, "bind", refuse)
    yield


def test_without_loopback_the_scan_runs_in_process_with_a_message(
    lake: Path, no_loopback: None, caplog: pytest.LogCaptureFixture
) -> None:
    values = planted(13)
    (lake / "people.csv").write_text(csv_text(values), encoding="utf-8")
    started = time.monotonic()
    with caplog.at_level("WARNING", logger="piiscan"):
        report = api.scan(str(lake), config=NO_NER_CONFIG, scheduler="local")
    assert time.monotonic() - started < 30
    assert sorted(d.dataset for d in report.datasets) == ["inventory.csv", "people.csv"]
    assert any("runs in-process" in r.getMessage() for r in caplog.records)


_NO_LOOPBACK_CLI = """
import socket, sys
real_bind = socket.socket.bind
def refuse(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        raise OSError(99, "Cannot assign requested address")
    return real_bind(self, address)
socket.socket.bind = refuse
from pipeline.cli import main
sys.argv = ["piiscan", *sys.argv[1:]]
main()
"""


@pytest.mark.slow
def test_the_cli_without_loopback_finishes_in_process_with_a_message(lake: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    env.pop("PIISCAN_SCHEDULER", None)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", _NO_LOOPBACK_CLI, "scan", str(lake), "--out", str(tmp_path / "out"),
         "--config", str(NO_NER_CONFIG), "--no-catalog"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 60
    assert "Traceback" not in done.stderr
    assert "runs in-process" in done.stderr
    assert (tmp_path / "out" / "report.json").exists()


def test_a_local_cluster_that_fails_to_start_falls_back(
    lake: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import distributed

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(98, "Address already in use")

    monkeypatch.setattr(distributed, "LocalCluster", broken)
    with caplog.at_level("WARNING", logger="piiscan"), api.dask_scheduler("local", 2) as runner_:
        assert runner_ == api.FALLBACK_SCHEDULER
    assert any("OSError" in r.getMessage() for r in caplog.records)


# ---------------------------------------------------------------- clean inputs: verdicts unchanged

# The gate's decisions on the seeded gate lake's exports (tests/gate/fixtures.py), recorded with the gate
# as it was before issue #12. A stricter gate must not change one of them on these clean, fully readable
# exports: "allowed" stays allowed, "blocked" stays blocked.
_A, _B = "allowed", "blocked"
CLEAN_VERDICTS: dict[tuple[str, str | None], dict[str, str]] = {
    ("crm/customers.parquet", None): {"third_party": _B, "outsourcing": _A, "statistics": _B, "internal": _A},
    ("survey/responses.jsonl", None): {"third_party": _B, "outsourcing": _A, "statistics": _B, "internal": _A},
    ("partner/raw_export.parquet", None): {"third_party": _B, "outsourcing": _A, "statistics": _B, "internal": _A},
    ("partner/generalised_export.parquet", None): {"third_party": _A, "outsourcing": _A, "statistics": _A, "internal": _A},
    ("catalog/products.csv", None): {"third_party": _A, "outsourcing": _A, "statistics": _A, "internal": _A},
    ("support/tickets.csv", None): {"third_party": _B, "outsourcing": _A, "statistics": _B, "internal": _A},
    ("sales/orders.csv", None): {"third_party": _B, "outsourcing": _A, "statistics": _B, "internal": _A},
    ("consent/members.csv", None): {"third_party": _B, "outsourcing": _A, "statistics": _B, "internal": _A},
    ("consent/members.csv", "同意"): {"third_party": _B, "outsourcing": _A, "statistics": _B, "internal": _A},
    ("consent/members_all.csv", None): {"third_party": _B, "outsourcing": _A, "statistics": _B, "internal": _A},
    ("consent/members_all.csv", "同意"): {"third_party": _A, "outsourcing": _A, "statistics": _B, "internal": _A},
}


@pytest.mark.slow
def test_existing_verdicts_are_unchanged_on_clean_exports(tmp_path: Path) -> None:
    """One scan of the whole gate lake (default settings, NER on, as tests/gate use), then the gate per
    export, destination and consent column."""
    import pipeline
    from pipeline.gate import evaluate
    from pipeline.policy import load_policy
    from tests.gate.fixtures import build_gate_lake

    lake, _ = build_gate_lake(tmp_path / "gate-lake")
    report = pipeline.scan(str(lake.root), scheduler="sync")
    assert not report.errors and not any(d.errors for d in report.datasets)
    refs = discover_all([str(lake.root)]).datasets
    policy = load_policy()
    decided = {}
    for (relative, consent), expected in CLEAN_VERDICTS.items():
        one = replace(report, datasets=tuple(d for d in report.datasets if d.dataset == relative))
        assert len(one.datasets) == 1, relative
        decided[(relative, consent)] = {
            destination: evaluate(one, policy, destination, refs=refs, consent_column=consent).decision
            for destination in expected
        }
    assert decided == CLEAN_VERDICTS


# ---------------------------------------------------------------- the pieces


@pytest.mark.parametrize(
    ("head", "hint", "expected"),
    [
        (b"name,phone\nx,1\n", None, "csv"),
        (b"name\tphone\nx\t1\n", None, "tsv"),
        (b'{"name": "x"}\n{"name": "y"}\n', None, "jsonl"),
        (b"name\tphone\nx\t1\n", "csv", "csv"),  # an inner suffix (.csv.bak) decides between text formats
        ("氏名,電話\n山田,1\n".encode("cp932"), None, "csv"),
        ("a,b\n1,2\n".encode("utf-16"), None, "csv"),
        (b"PAR1\x15\x04\x15", None, "parquet"),
        (b"\x00\x01\x02\x03binary", None, None),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(32)), None, None),  # a zip (xlsx)
    ],
)
def test_sniff_format(head: bytes, hint: Any, expected: str | None) -> None:
    from pipeline.sources import sniff_format

    assert sniff_format(head, hint) == expected


@pytest.mark.parametrize(
    ("relative", "patterns", "expected"),
    [
        ("tmp", ("tmp/",), "tmp/"),
        ("a/tmp", ("tmp",), "tmp"),
        ("x.tsv.bak", ("*.bak",), "*.bak"),
        ("sub/a.csv", ("sub/*",), "sub/*"),
        ("ok.csv", ("*.bak", "tmp"), None),
        (".customers.csv", ("customers.csv",), None),  # a pattern names a file exactly, not a part of it
    ],
)
def test_exclude_patterns_match_the_relative_path_or_the_name(relative: str, patterns: tuple[str, ...], expected: str | None) -> None:
    from pipeline.sources import Scope

    assert Scope(exclude=patterns).excluded_by(relative) == expected
