"""httpx from the tests to their servers on 127.0.0.1, with one TLS context per process.

httpx builds a verifying TLS context for every client it makes (``httpx.get`` makes a client
per call), even for a plain http:// address: 80-100 ms of reading the CA bundle each time,
more than the request itself costs on loopback. These helpers hand httpx one shared context
instead (the app's own clients share theirs: ``sync.http.make_client``). Same arguments as
``httpx.get`` / ``httpx.Client``.
"""

from __future__ import annotations

import functools
import ssl
from typing import Any

import httpx


@functools.cache
def tls() -> ssl.SSLContext:
    """The one verifying TLS context of this process (certifi's CA bundle, as httpx's default)."""
    return httpx.create_ssl_context()


def client(**kwargs: Any) -> httpx.Client:
    return httpx.Client(verify=tls(), **kwargs)


def request(method: str, url: str, **kwargs: Any) -> httpx.Response:
    return httpx.request(method, url, verify=tls(), **kwargs)


def get(url: str, **kwargs: Any) -> httpx.Response:
    return request("GET", url, **kwargs)


def post(url: str, **kwargs: Any) -> httpx.Response:
    return request("POST", url, **kwargs)


def put(url: str, **kwargs: Any) -> httpx.Response:
    return request("PUT", url, **kwargs)


def delete(url: str, **kwargs: Any) -> httpx.Response:
    return request("DELETE", url, **kwargs)
