"""`observatory serve`: bind first, then say where, then serve.

The line `Serving on http://HOST:PORT` is printed (and flushed) only once the
socket is bound, with the real port when `--port 0` asked for any free one,
so scripts and tests read the address instead of guessing or sleeping.
Production runs gunicorn with several worker processes (webui/production.py);
`--dev` runs werkzeug's server, reloader off.
"""

from __future__ import annotations

import signal
import sys

from observatory.home import Home


def _address(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _stop_on_sigterm() -> None:
    """SIGTERM ends the server like Ctrl-C does, so clean-up (engine close) runs."""
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))


def serve(home: Home, *, host: str = "127.0.0.1", port: int = 8000, dev: bool = False) -> None:
    """Serve until SIGTERM or SIGINT: gunicorn with `serve.workers` processes of
    `serve.threads` threads (webui/production.py says why); `serve.workers: 0`
    runs waitress in this one process; `dev` runs werkzeug's server."""
    from webui import create_app
    from webui.secret import secret_key_for

    secret_key_for(home)  # refuse an example key (or make the home's) before any worker starts
    workers = home.settings["serve.workers"]
    if not dev and workers > 0:
        from webui.production import run

        run(
            lambda: create_app(home),
            host=host,
            port=port,
            workers=workers,
            threads=home.settings["serve.threads"],
        )
        return

    app = create_app(home)
    _stop_on_sigterm()
    if dev:
        from werkzeug.serving import make_server

        server = make_server(host, port, app, threaded=True)
        print(f"Serving on {_address(host, server.port)}", flush=True)
        try:
            server.serve_forever()
        finally:
            server.server_close()
        return

    from waitress.server import create_server

    server = create_server(
        app, host=host, port=port, threads=home.settings["serve.threads"], ident="observatory"
    )
    bound_host, bound_port = _bound(server, host)
    print(f"Serving on {_address(bound_host, bound_port)}", flush=True)
    try:
        server.run()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.close()


def _bound(server, host: str) -> tuple[str, int]:
    """The address waitress actually listens on (the first one, when it has several)."""
    effective = getattr(server, "effective_listen", None)
    if effective:  # a MultiSocketServer: one (host, port) per socket
        first_host, first_port = effective[0][:2]
        return first_host, int(first_port)
    return host, int(server.effective_port)


class ServerProcess:
    """`observatory serve --port 0` in a child process, for tests and scripts.

    Starts it, reads the address from its first line (no sleeping, no fixed
    port), and stops it on `close()` or at the end of a `with` block.
    """

    def __init__(self, home_dir, *extra_args: str, log=None):
        import subprocess

        command = [
            sys.executable,
            "-m",
            "observatory",
            "--home",
            str(home_dir),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            *extra_args,
        ]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=log, text=True, encoding="utf-8"
        )
        line = self.process.stdout.readline()
        if not line.startswith("Serving on http://"):
            self.close()
            raise RuntimeError(
                f"the server did not start (first line: {line!r}); "
                f"exit status {self.process.returncode}"
            )
        self.url = line.removeprefix("Serving on ").strip()

    def close(self) -> None:
        import subprocess

        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()
