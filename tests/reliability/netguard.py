"""A socket guard: any connection that would leave the machine fails loudly; loopback stays allowed.

Installed for the whole test session by ``tests/conftest.py`` (tests start local servers and Dask
clusters on 127.0.0.1), and by ``run_guarded`` for a CLI run in a child process.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from collections.abc import Callable
from typing import Any

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


class NetworkAccessDenied(OSError):
    """A test (or the code under test) tried to reach a non-loopback address."""


# Every denied attempt, so a test that swallows the OSError still fails (see conftest).
denied: list[str] = []

_originals: dict[str, Callable[..., Any]] = {}


def _own_addresses() -> frozenset[str]:
    """Addresses of this host's own name: connecting to them does not leave the machine."""
    names = {socket.gethostname()}
    found: set[str] = set()
    for name in names:
        try:
            found.update(str(info[4][0]) for info in _originals["getaddrinfo"](name, None))
        except OSError:
            continue
    return frozenset(found)


def is_local_host(host: object) -> bool:
    if not isinstance(host, str):
        return False
    name = host.strip("[]").split("%")[0].lower()
    if name in LOOPBACK_NAMES or name == socket.gethostname().lower() or name in _local_addresses:
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _allowed(sock: socket.socket, address: Any) -> bool:
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return True  # Unix sockets, netlink: never leave the machine
    host = address[0] if isinstance(address, tuple) else address
    return is_local_host(host)


def _deny(what: str) -> NetworkAccessDenied:
    message = f"network access denied in tests (piiscan runs offline): {what}"
    denied.append(message)
    return NetworkAccessDenied(message)


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if not _allowed(self, address):
        raise _deny(f"connect to {address!r}")
    _originals["connect"](self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if not _allowed(self, address):
        raise _deny(f"connect_ex to {address!r}")
    return int(_originals["connect_ex"](self, address))


def _guarded_sendto(self: socket.socket, *args: Any) -> int:
    address = args[-1]
    if not _allowed(self, address):
        raise _deny(f"sendto {address!r}")
    return int(_originals["sendto"](self, *args))


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    # Resolving a remote name is itself network traffic (DNS).
    if host is not None and not is_local_host(host.decode() if isinstance(host, bytes) else host):
        raise _deny(f"DNS lookup of {host!r}")
    return _originals["getaddrinfo"](host, *args, **kwargs)


_local_addresses: frozenset[str] = frozenset()


def install() -> None:
    """Patch the socket module (idempotent)."""
    global _local_addresses
    if _originals:
        return
    _originals.update(
        connect=socket.socket.connect,
        connect_ex=socket.socket.connect_ex,
        sendto=socket.socket.sendto,
        getaddrinfo=socket.getaddrinfo,
    )
    _local_addresses = _own_addresses()
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    socket.socket.sendto = _guarded_sendto  # type: ignore[assignment]
    socket.getaddrinfo = _guarded_getaddrinfo


def uninstall() -> None:
    if not _originals:
        return
    socket.socket.connect = _originals["connect"]  # type: ignore[method-assign]
    socket.socket.connect_ex = _originals["connect_ex"]  # type: ignore[method-assign]
    socket.socket.sendto = _originals["sendto"]  # type: ignore[method-assign]
    socket.getaddrinfo = _originals["getaddrinfo"]
    _originals.clear()


def run_guarded(argv: list[str]) -> None:
    """Entry point for a child process: ``python -m tests.reliability.netguard piiscan-args...``."""
    install()
    from pipeline.cli import main

    sys.argv = ["piiscan", *argv]
    try:
        main()
    finally:
        if denied:
            sys.stderr.write("\n".join(denied) + "\n")
            sys.exit(97)  # distinct from every piiscan exit code, so a test sees the attempt


if __name__ == "__main__":
    run_guarded(sys.argv[1:])
