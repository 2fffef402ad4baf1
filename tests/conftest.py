"""Session-wide test setup: the suite runs offline.

A socket guard (tests/reliability/netguard.py) makes every non-loopback connection or DNS lookup
from the test process raise, and fails the test that tried even if the code swallowed the error.
Loopback stays allowed: tests start local servers and Dask clusters on 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reliability import netguard


def pytest_configure(config: pytest.Config) -> None:
    # At configure time, so imports during collection are guarded too.
    netguard.install()


def pytest_unconfigure(config: pytest.Config) -> None:
    netguard.uninstall()


@pytest.fixture(autouse=True)
def _no_network_attempts() -> Iterator[None]:
    before = len(netguard.denied)
    yield
    attempts = netguard.denied[before:]
    assert not attempts, "the test tried to reach the network: " + "; ".join(attempts)
