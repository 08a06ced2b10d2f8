"""The production server: gunicorn with several worker processes, any WSGI app factory.

Why gunicorn (pinned 23.0.0, which supports Python 3.7-3.13): a pre-fork
server whose workers each own their SearchEngine, so Python's GIL is no
longer one ceiling for all requests; a crashed worker is replaced.

- We bind the socket ourselves and pass it as `fd://N`, so `--port 0` works and
  the real port is known before anything else happens.
- Nothing that holds index files is built before the fork: the app factory
  runs in each worker (`preload_app` off), and the engine opens the index on
  its first search. Readers refresh when the index changes (SearchEngine
  checks `up_to_date()` and the swap marker); writes go through
  `indexer.build.write_lock`, one writer across all workers.
- `Serving on http://HOST:PORT` is printed once the first worker has loaded
  the app and accepts connections: each worker writes one byte to a pipe that
  a thread of the master process waits on.
- SIGTERM stops gracefully (requests in flight finish, GRACEFUL seconds at
  most), SIGINT at once; gunicorn's master handles both.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections.abc import Callable

GRACEFUL = 10


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on (host, port); port 0 picks a free one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=2048, reuse_port=False)
    sock.set_inheritable(True)
    return sock


def address(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def run(
    app_factory: Callable[[], Callable],
    *,
    host: str,
    port: int,
    workers: int,
    threads: int,
    announce: Callable[[str], None] | None = None,
) -> None:
    """Serve `app_factory()` (called in each worker) until SIGTERM or SIGINT."""
    from gunicorn.app.base import BaseApplication

    sock = bind(host, port)
    bound_port = sock.getsockname()[1]
    url = address(host, bound_port)
    ready_read, ready_write = os.pipe()
    announce = announce or (lambda line: print(line, flush=True))

    def wait_for_first_worker() -> None:
        if os.read(ready_read, 1):
            announce(f"Serving on {url}")

    def post_worker_init(_worker) -> None:
        os.write(ready_write, b"!")

    options = {
        "bind": [f"fd://{sock.fileno()}"],
        "workers": max(1, workers),
        "threads": max(1, threads),
        "worker_class": "gthread" if threads > 1 else "sync",
        "preload_app": False,
        "graceful_timeout": GRACEFUL,
        "timeout": 60,
        "keepalive": 5,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "observatory",
        "post_worker_init": post_worker_init,
    }

    class Server(BaseApplication):
        def load_config(self) -> None:
            for name, value in options.items():
                self.cfg.set(name, value)

        def load(self):
            return app_factory()

    threading.Thread(target=wait_for_first_worker, daemon=True).start()
    # gunicorn's master sys.exit()s when it stops, and so does each forked worker
    # from inside this call: nothing after it would run only once, so nothing is.
    Server().run()


def main() -> None:
    """`python -m webui.production MODULE:FACTORY HOST PORT WORKERS THREADS` (benchmarks)."""
    import importlib

    target, host, port, workers, threads = sys.argv[1:6]
    module, _, name = target.partition(":")
    factory = getattr(importlib.import_module(module), name)
    run(factory, host=host, port=int(port), workers=int(workers), threads=int(threads))


if __name__ == "__main__":
    main()
