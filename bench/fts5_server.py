"""The FTS5 baseline's WSGI app for the production server, database from BENCH_FTS5_DB.

BENCH_FTS5_DB=x.db python -m webui.production bench.fts5_server:app_factory 127.0.0.1 0 2 4
"""

from __future__ import annotations

import os
from pathlib import Path

from bench.fts5_baseline import wsgi_app


def app_factory():
    return wsgi_app(Path(os.environ["BENCH_FTS5_DB"]))
