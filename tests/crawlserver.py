"""A real HTTP server on 127.0.0.1 (port 0) serving tests/fixtures/sites, for crawler tests.

Static files get ETag and Last-Modified and answer conditional GETs with 304,
as real servers do. A few routes misbehave on purpose (redirects, loops,
429/500 with Retry-After, a huge page, wrong charsets). Every request is
logged as (path, status) so tests can count what the crawler asked for.
One path can be made to block until released, which lets a test kill a
crawl at a known point without sleeping.
"""

from __future__ import annotations

import email.utils
import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

SITES = Path(__file__).parent / "fixtures" / "sites"
TYPES = {
    ".html": "text/html",
    ".xml": "application/xml",
    ".rdf": "application/rdf+xml",
    ".json": "application/feed+json",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".pdf": "application/pdf",
    ".gz": "application/gzip",
    ".png": "image/png",
}
# Deliberately wrong or missing charsets: (path -> Content-Type header).
HEADERS = {
    "/es/practicas/datos-abiertos.html": "text/html; charset=utf-8",  # really Windows-1252
    "/pt/praticas/saude-digital.html": "text/html; charset=iso-8859-1",  # really UTF-8
}
REDIRECTS = {
    "/en/practices/moved": "/en/practices/flood-sensors.html",
    "/hop/1": "/hop/2",
    "/hop/2": "/hop/3",
    "/hop/3": "/en/practices/bike-lanes.html",
    "/loop/a": "/loop/b",
    "/loop/b": "/loop/a",
    "/en/practices/away": "https://elsewhere.example.net/",
}
LAST_MODIFIED = email.utils.formatdate(1_700_000_000, usegmt=True)


class FixtureServer:
    def __init__(self):
        self.log: list[tuple[str, int]] = []
        self.user_agents: list[str] = []
        self.hits: dict[str, int] = {}
        self.block_path: str | None = None
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.overrides: dict[str, bytes] = {}  # path -> body served instead of the file
        self.huge_bytes = 3_000_000
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                server._handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def full_fetches(self, path: str) -> int:
        return sum(1 for p, status in self.log if p == path and status == 200)

    def _send(self, handler, status: int, body: bytes = b"", headers: dict | None = None):
        path = urlsplit(handler.path).path
        self.log.append((path, status))
        handler.send_response(status)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _handle(self, handler):
        path = urlsplit(handler.path).path
        self.user_agents.append(handler.headers.get("User-Agent", ""))
        count = self.hits[path] = self.hits.get(path, 0) + 1
        if path == self.block_path:
            self.arrived.set()
            self.release.wait(30)
            return  # no answer, no log entry: the client was killed meanwhile
        if path in REDIRECTS:
            return self._send(handler, 302, headers={"Location": REDIRECTS[path]})
        if path == "/status/404":
            return self._send(handler, 404, b"not found", {"Content-Type": "text/plain"})
        if path == "/status/429":  # busy once, then fine
            if count == 1:
                return self._send(handler, 429, b"slow down", {"Retry-After": "1"})
            path = "/en/practices/bike-lanes.html"
        if path == "/status/500":
            return self._send(handler, 500, b"broken", {"Retry-After": "0"})
        if path == "/status/503-date":
            when = email.utils.formatdate(0, usegmt=True)  # a date in the past: no wait
            return self._send(handler, 503, b"", {"Retry-After": when})
        if path == "/huge.html":
            body = b"<html><body><p>" + b"big " * (self.huge_bytes // 4) + b"</p></body></html>"
            return self._send(handler, 200, body, {"Content-Type": "text/html"})
        if path == "/image.png":
            return self._send(
                handler, 200, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, {"Content-Type": "image/png"}
            )
        return self._static(handler, path)

    def _static(self, handler, path: str):
        target = (SITES / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if path in self.overrides:
            body = self.overrides[path]
        elif SITES.resolve() in target.parents and target.is_file():
            body = target.read_bytes()
        else:
            return self._send(handler, 404, b"not found", {"Content-Type": "text/plain"})
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if handler.headers.get("If-None-Match") == etag:
            return self._send(handler, 304, headers={"ETag": etag})
        content_type = HEADERS.get(path) or TYPES.get(target.suffix, "application/octet-stream")
        return self._send(
            handler,
            200,
            body,
            {"Content-Type": content_type, "ETag": etag, "Last-Modified": LAST_MODIFIED},
        )
