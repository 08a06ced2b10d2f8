"""The one HTTP seam: every request the crawler makes goes through `Fetcher.get`.

Why one place: the rules that keep the crawler safe and polite must hold for
every request, including robots.txt, sitemaps and each redirect hop, so they
live where the request is made. The host name is resolved here and the
connection made to the checked address itself, so a DNS answer cannot change
between the check and the connection. Redirects are followed by hand for the
same reason: each hop is checked like the first request.
"""

from __future__ import annotations

import email.utils
import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3

from corpus.charset import decode
from observatory import __version__
from observatory.errors import ObservatoryError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PAGE_TYPES = ("text/html", "application/xhtml+xml")
XML_TYPES = (
    "application/xml",
    "text/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/x-gzip",
    "application/gzip",
)
FEED_TYPES = PAGE_TYPES + XML_TYPES + ("application/feed+json", "application/json")
CHUNK = 64 * 1024


class FetchRefused(ObservatoryError):
    """A URL was not fetched, or its answer not accepted; `reason` says why in a few words."""

    def __init__(self, url: str, reason: str, status: int | None = None):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status


@dataclass
class Response:
    url: str  # the final URL, after redirects
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes = b""
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def text(self) -> str:
        return decode(self.body, self.headers.get("content-type"))[0]


def user_agent(contact_url: str) -> str:
    return f"Observatory/{__version__} (+{contact_url})"


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), None when absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class Fetcher:
    """Polite, bounded HTTP GET. One request at a time per host, `delay` seconds apart."""

    def __init__(self, settings, *, sleep: Callable[[float], None] = time.sleep):
        self.allow_private = bool(settings["crawl.allow_private_addresses"])
        self.timeout = float(settings["crawl.timeout"])
        self.max_bytes = int(settings["crawl.max_bytes"])
        self.max_redirects = int(settings["crawl.max_redirects"])
        self.retries = int(settings["crawl.retries"])
        self.backoff = float(settings["crawl.backoff"])
        self.max_wait = float(settings["crawl.max_retry_wait"])
        self.default_delay = float(settings["crawl.delay"])
        self.user_agent = user_agent(settings["contact_url"])
        self._sleep = sleep
        self._pools: dict[tuple, urllib3.HTTPConnectionPool] = {}
        self._host_locks: dict[str, threading.Lock] = {}
        self._next_time: dict[str, float] = {}
        self._delays: dict[str, float] = {}
        self._guard = threading.Lock()
        self.requests = 0  # every request sent, retries and redirect hops included

    def set_delay(self, host: str, seconds: float) -> None:
        """Slow a host down (robots.txt Crawl-delay); never faster than the default delay."""
        self._delays[host] = max(self.default_delay, seconds)

    def delay_for(self, host: str) -> float:
        """Seconds kept between two requests to `host`."""
        return self._delays.get(host, self.default_delay)

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()

    def get(
        self,
        url: str,
        *,
        accept: tuple[str, ...] = FEED_TYPES,
        etag: str | None = None,
        last_modified: str | None = None,
        check: Callable[[str], str | None] | None = None,
    ) -> Response:
        """GET `url`, following redirects; a 304 comes back as a Response with `not_modified`.

        `check(url)` may veto a redirect target (another host, robots.txt) by returning a reason.
        Raises FetchRefused for every answer that is not usable content.
        """
        headers = {
            "User-Agent": self.user_agent,
            "Accept-Encoding": "gzip, deflate",
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        hops: list[str] = []
        current = url
        while True:
            response = self._get_with_retries(current, headers, accept)
            if response.status not in REDIRECT_STATUSES:
                break
            location = response.headers.get("location")
            if not location:
                raise FetchRefused(
                    current, f"redirect {response.status} without Location", response.status
                )
            target = urljoin(current, location.strip())
            hops.append(current)
            if target in hops or target == current:
                raise FetchRefused(url, f"redirect loop at {target}", response.status)
            if len(hops) > self.max_redirects:
                raise FetchRefused(
                    url, f"more than {self.max_redirects} redirects", response.status
                )
            reason = check(target) if check else None
            if reason:
                raise FetchRefused(
                    target, f"redirected to a refused address: {reason}", response.status
                )
            current = target
        response.redirects = hops
        response.url = current
        if response.not_modified:
            return response
        if response.status != 200:
            raise FetchRefused(current, f"HTTP {response.status}", response.status)
        return response

    def _get_with_retries(
        self, url: str, headers: dict[str, str], accept: tuple[str, ...]
    ) -> Response:
        attempt = 0
        while True:
            try:
                response = self._request(url, headers, accept)
            except FetchRefused:
                raise
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                if attempt >= self.retries:
                    raise FetchRefused(url, f"connection failed: {type(exc).__name__}") from None
                wait = self.backoff * 2**attempt
            else:
                if response.status not in RETRY_STATUSES or attempt >= self.retries:
                    return response
                wait = parse_retry_after(response.headers.get("retry-after"))
                if wait is None:
                    wait = self.backoff * 2**attempt
            self._sleep(min(wait, self.max_wait))
            attempt += 1

    def _resolve(self, url: str) -> tuple[str, str, int, str]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchRefused(url, "not an http(s) address")
        host = parts.hostname
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise FetchRefused(url, "invalid port") from None
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchRefused(url, f"host not found ({exc})") from None
        addresses = [info[4][0] for info in infos]
        if not self.allow_private:
            bad = [a for a in addresses if not is_public_address(a)]
            if bad:
                raise FetchRefused(url, f"private or local address {bad[0]} refused")
        return parts.scheme, host, port, addresses[0]

    def _pool(self, scheme: str, host: str, port: int, address: str):
        key = (scheme, host, port, address)
        pool = self._pools.get(key)
        if pool is None:
            timeout = urllib3.Timeout(connect=self.timeout, read=self.timeout)
            if scheme == "https":
                pool = urllib3.HTTPSConnectionPool(
                    address,
                    port,
                    timeout=timeout,
                    maxsize=1,
                    retries=False,
                    server_hostname=host,
                    assert_hostname=host,
                    cert_reqs="CERT_REQUIRED",
                )
            else:
                pool = urllib3.HTTPConnectionPool(
                    address, port, timeout=timeout, maxsize=1, retries=False
                )
            self._pools[key] = pool
        return pool

    def _wait_turn(self, host: str) -> None:
        now = time.monotonic()
        ready = self._next_time.get(host, 0.0)
        if ready > now:
            self._sleep(ready - now)

    def _request(self, url: str, headers: dict[str, str], accept: tuple[str, ...]) -> Response:
        scheme, host, port, address = self._resolve(url)
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        default_port = port == (443 if scheme == "https" else 80)
        send = dict(headers, Host=host if default_port else f"{host}:{port}")
        with self._guard:
            lock = self._host_locks.setdefault(host, threading.Lock())
        with lock:
            self._wait_turn(host)
            self.requests += 1
            try:
                raw = self._pool(scheme, host, port, address).urlopen(
                    "GET",
                    path,
                    headers=send,
                    redirect=False,
                    retries=False,
                    preload_content=False,
                    decode_content=True,
                )
                try:
                    response = self._read(url, raw, accept)
                except BaseException:
                    raw.close()  # unread bytes would poison a reused connection
                    raise
                raw.release_conn()
                return response
            finally:
                self._next_time[host] = time.monotonic() + self.delay_for(host)

    def _read(self, url: str, raw, accept: tuple[str, ...]) -> Response:
        """The body of a 200 answer, refused before reading when its type or size is wrong."""
        headers = {k.lower(): v for k, v in raw.headers.items()}
        if raw.status != 200:
            raw.drain_conn()
            return Response(url=url, status=raw.status, headers=headers)
        kind = headers.get("content-type", "").split(";")[0].strip().lower()
        if kind and not kind.startswith(accept):
            raise FetchRefused(url, f"content type {kind} is not accepted", 200)
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            raise FetchRefused(url, f"too large ({length} bytes, at most {self.max_bytes})", 200)
        chunks: list[bytes] = []
        size = 0
        deadline = time.monotonic() + self.timeout * 3
        for chunk in raw.stream(CHUNK, decode_content=True):
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchRefused(url, f"too large (more than {self.max_bytes} bytes)", 200)
            if time.monotonic() > deadline:
                raise FetchRefused(url, "body took too long to arrive", 200)
            chunks.append(chunk)
        return Response(url=url, status=200, headers=headers, body=b"".join(chunks))
