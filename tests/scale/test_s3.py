"""s3:// scans against a real S3 API (moto's server mode on 127.0.0.1), incremental over object storage.

Reads are counted twice: by the readers' single open point, and by the GET requests the S3 server saw.
Credentials are fake and come from the standard environment variables; they must never be output.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

import pipeline
from pipeline import readers
from pipeline.catalog import Catalog
from tests.scale.lakes import write_lake

BUCKET = "piiscan-lake"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_GET = re.compile(r'"GET /(\S+) HTTP/')
SECRET = "fake-secret-never-printed-0123456789"


class _RequestLog(logging.Handler):
    """Request lines the S3 server logs (werkzeug), e.g. 'GET /bucket/key HTTP/1.1'."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())

    def object_gets(self) -> Counter[str]:
        gets: Counter[str] = Counter()
        for line in self.lines:
            match = _GET.search(_ANSI.sub("", line))
            if match and "?" not in match.group(1):  # listings carry a query string; object reads do not
                gets[match.group(1)] += 1
        return gets


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, _RequestLog]]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    requests = _RequestLog()
    werkzeug = logging.getLogger("werkzeug")
    werkzeug.addHandler(requests)
    werkzeug.setLevel(logging.INFO)
    try:
        assert server._server is not None
        port = server._server.server_port  # port 0: the OS picked a free one
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "fake-access-key")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
        import s3fs

        s3fs.S3FileSystem.clear_instance_cache()
        fs = s3fs.S3FileSystem()
        fs.mkdir(BUCKET)
        yield fs, requests
    finally:
        werkzeug.removeHandler(requests)
        server.stop()
        import s3fs

        s3fs.S3FileSystem.clear_instance_cache()


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    counts: Counter[str] = Counter()
    real_open = readers._open

    def counting_open(file: Any) -> IO[bytes]:
        counts[file.url] += 1
        return real_open(file)

    monkeypatch.setattr(readers, "_open", counting_open)
    return counts


def _upload(fs: Any, local: Path, prefix: str) -> None:
    for path in sorted(p for p in local.rglob("*") if p.is_file()):
        fs.pipe(f"{BUCKET}/{prefix}/{path.relative_to(local).as_posix()}", path.read_bytes())


@pytest.mark.slow
def test_s3_scan_names_datasets_by_key_and_rescans_only_what_changed(
    s3: tuple[Any, _RequestLog], opened: Counter[str], tmp_path: Path
) -> None:
    fs, requests = s3
    local = tmp_path / "lake"
    files = write_lake(local)
    _upload(fs, local, "exports")
    catalog = tmp_path / "catalog.duckdb"
    url = f"s3://{BUCKET}/exports"

    first = pipeline.scan(url, scheduler="sync", catalog=catalog, incremental=True)
    on_disk = pipeline.scan(str(local), scheduler="sync")

    assert [d.dataset for d in first.datasets] == ["crm/customers.parquet", "logs", "sales/orders.csv"]
    assert {(d.dataset, c.name): c.categories for d in first.datasets for c in d.columns} == {
        (d.dataset, c.name): c.categories for d in on_disk.datasets for c in d.columns
    }
    assert all(u.startswith(f"s3://{BUCKET}/exports/") for u in opened if "exports" in u)
    assert requests.object_gets()  # the server really served the objects

    requests.lines.clear()
    opened.clear()
    second = pipeline.scan(url, scheduler="sync", catalog=catalog, incremental=True)
    assert sum(opened.values()) == 0
    assert not requests.object_gets()
    assert [d.to_dict() for d in second.datasets] == [d.to_dict() for d in first.datasets]

    # Rewrite one object (new ETag): only its dataset is read again.
    changed = files["sales/orders.csv"][0]
    changed.write_bytes(changed.read_bytes() + b"A99999,5,paid\n")
    fs.pipe(f"{BUCKET}/exports/sales/orders.csv", changed.read_bytes())
    requests.lines.clear()
    opened.clear()
    third = pipeline.scan(url, scheduler="sync", catalog=catalog, incremental=True)
    assert set(opened) == {f"s3://{BUCKET}/exports/sales/orders.csv"}
    assert set(requests.object_gets()) == {f"{BUCKET}/exports/sales/orders.csv"}
    assert next(d for d in third.datasets if d.dataset == "sales/orders.csv").rows_total == 121
    assert Catalog(catalog).history()[0].datasets_reused == 2

    # The fake secret is in no output: report, catalog file.
    import json

    assert SECRET not in json.dumps(third.to_dict(), ensure_ascii=False)
    assert SECRET.encode() not in catalog.read_bytes()
