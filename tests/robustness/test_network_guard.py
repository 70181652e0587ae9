"""The test suite's network guard itself works: any connection attempt in a test fails.

``tests/conftest.py`` has an autouse fixture that replaces the socket entry
points.  If it silently stopped working, every "OncoBoard never opens a
network connection" guarantee in the suite would be untested; these tests fail
in that case.  (The guard covers the test process; tests that start
subprocesses do not rely on it.)
"""

from __future__ import annotations

import socket
import urllib.request

import pytest

REFUSED = "network access attempted"


def test_tcp_connect_is_refused() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        with pytest.raises(AssertionError, match=REFUSED):
            sock.connect(("192.0.2.1", 443))  # TEST-NET-1: never routable
        with pytest.raises(AssertionError, match=REFUSED):
            sock.connect_ex(("192.0.2.1", 443))


def test_even_loopback_is_refused() -> None:
    """A local TCP server is reachable in principle; the guard still refuses."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    try:
        with pytest.raises(AssertionError, match=REFUSED):
            socket.create_connection(server.getsockname(), timeout=1)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as client:
            with pytest.raises(AssertionError, match=REFUSED):
                client.connect(server.getsockname())
    finally:
        server.close()


def test_name_lookup_and_http_are_refused() -> None:
    with pytest.raises(AssertionError, match=REFUSED):
        socket.getaddrinfo("example.org", 443)
    with pytest.raises((AssertionError, OSError)) as caught:
        urllib.request.urlopen("http://192.0.2.1/", timeout=1)
    assert REFUSED in repr(caught.value) or REFUSED in repr(caught.value.__context__)


def test_udp_connect_is_refused() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        with pytest.raises(AssertionError, match=REFUSED):
            sock.connect(("192.0.2.1", 53))


def test_local_unix_sockets_still_work() -> None:
    """Qt and asyncio use AF_UNIX socketpairs internally; the guard must not break them."""
    a, b = socket.socketpair()
    with a, b:
        a.sendall(b"ok")
        assert b.recv(2) == b"ok"
