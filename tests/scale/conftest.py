"""A real, throwaway PostgreSQL server for the shared-catalog tests (Debian's ``postgresql`` binaries).

The server is created with initdb in a fresh folder under /tmp, listens on a free loopback port (and a unix
socket in that folder), and is stopped and removed after the session. Root may not run postgres: as root the
cluster belongs to the ``postgres`` system user the package creates, and the server runs under ``runuser``.
Each test gets its own database. ``scripts/ensure_postgres.sh`` (run by ``.ci/run``) installs the package.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class PostgresServer:
    port: int
    socket_dir: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    if not found:
        pytest.fail("PostgreSQL server binaries are missing: run scripts/ensure_postgres.sh (apt-get install postgresql)")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_owner(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--", *argv]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bindir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="piiscan-pg-", dir="/tmp"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(root, owner.pw_uid, owner.pw_gid)
    data, sockets, log = root / "data", root / "sock", root / "server.log"
    subprocess.run(
        _as_owner([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
        check=True, capture_output=True,
    )
    subprocess.run(_as_owner(["mkdir", "-p", str(sockets)]), check=True)
    port = _free_port()
    server_log = open(log, "wb")  # noqa: SIM115 - the server writes it until it stops; closed below
    server = subprocess.Popen(
        _as_owner([
            str(bindir / "postgres"), "-D", str(data), "-p", str(port), "-h", "127.0.0.1", "-k", str(sockets),
            "-c", "fsync=off", "-c", "max_connections=50",
        ]),
        stdout=subprocess.DEVNULL, stderr=server_log,
    )
    try:
        import psycopg

        deadline = time.monotonic() + 60
        while True:
            try:
                psycopg.connect(PostgresServer(port, sockets).url(), connect_timeout=2).close()
                break
            except psycopg.OperationalError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"PostgreSQL did not start: {log.read_text(errors='replace')[-2000:]}")
                time.sleep(0.2)
        yield PostgresServer(port, sockets)
    finally:
        server.terminate()  # smart shutdown
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server_log.close()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty database on the session's server."""
    import psycopg

    name = f"piiscan_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server.url(), autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    return postgres_server.url(name)
