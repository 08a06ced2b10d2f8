"""A short load test of the production server (8 clients for 5 s): zero errors, no 5xx, the server
still up. The figures are bench/load.py's job (docs/hardening.md); here nothing is timed."""

from __future__ import annotations

import pytest

from bench.load import run

pytestmark = pytest.mark.slow


def test_concurrent_clients_get_no_errors(home):
    figures = run(home.path, clients=8, seconds=5)
    assert figures["requests"] > 0
    assert figures["error_samples"] == [] and figures["errors"] == 0
    assert figures["server_errors"] == 0
    assert figures["server_alive"]
    assert set(figures["statuses"]) <= {200, 400, 404}
