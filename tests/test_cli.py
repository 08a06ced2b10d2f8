"""The command line as a user runs it: import -> index -> search, exit codes, --json."""

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def run(home, *args, stdin=None, env_home=False):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "observatory"]
    if env_home:
        env["OBSERVATORY_HOME"] = str(home)
    else:
        cmd += ["--home", str(home)]
    return subprocess.run(
        cmd + list(args), capture_output=True, text=True, env=env, input=stdin, timeout=120
    )


def write_entries(path, entries):
    path.write_text(yaml.safe_dump(entries, allow_unicode=True))
    return path


def test_import_index_search_json_matches_the_api_shape(tmp_path):
    src = write_entries(
        tmp_path / "e.yaml",
        [
            {
                "id": "lisbon-pb",
                "type": "practice",
                "title": "Orçamento participativo de Lisboa",
                "summary": "Os cidadãos propõem e votam projetos para a cidade.",
                "country": "PT",
                "themes": ["citizen-participation"],
                "published": 2008,
            },
            {
                "id": "oslo-bikes",
                "type": "practice",
                "title": "City bike scheme",
                "summary": "Shared bicycles across the city centre.",
                "country": "NO",
                "themes": ["smart-mobility"],
                "published": 2016,
            },
        ],
    )
    home = tmp_path / "home"
    done = run(home, "import", str(src))
    assert done.returncode == 0, done.stderr
    assert "2 added" in done.stdout
    result = run(home, "search", "orcamento", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"query", "total", "page", "per_page", "results", "facets", "suggestion"}
    assert [r["id"] for r in data["results"]] == ["lisbon-pb"]
    assert data["results"][0]["lang"] == "pt" and data["results"][0]["region"] == "europe"
    assert set(data["facets"]) == {"theme", "region", "country", "lang", "type", "year"}
    filtered = json.loads(run(home, "search", "--theme", "smart-mobility", "--json").stdout)
    assert [r["id"] for r in filtered["results"]] == ["oslo-bikes"]
    text = run(home, "search", "bike")
    assert "City bike scheme" in text.stdout and "[oslo-bikes]" in text.stdout


def test_refused_entries_exit_1_and_the_rest_is_imported(tmp_path):
    src = write_entries(
        tmp_path / "mixed.yaml",
        [
            {"id": "fine-entry", "type": "practice", "title": "Fine", "lang": "en"},
            {"id": "bad-entry", "type": "practice", "title": "Bad", "themes": ["nope"]},
        ],
    )
    done = run(tmp_path / "home", "import", str(src))
    assert done.returncode == 1
    assert "mixed.yaml" in done.stderr and "bad-entry" in done.stderr and "themes" in done.stderr
    assert "1 added" in done.stdout
    assert (tmp_path / "home" / "corpus" / "fine-entry.yaml").exists()


def test_usage_errors_exit_2(tmp_path):
    assert run(tmp_path / "h", "import").returncode == 2
    assert run(tmp_path / "h", "search", "--limit", "1000").returncode == 2
    bad_query = run(tmp_path / "h", "search", '"unclosed')
    assert bad_query.returncode == 2 and "quote" in bad_query.stderr
    assert run(tmp_path / "h", "no-such-command").returncode == 2


def test_home_from_environment_and_index_rebuild(tmp_path):
    src = write_entries(
        tmp_path / "e.yaml",
        [{"id": "one-entry", "type": "trend", "title": "Digital twins", "lang": "en"}],
    )
    home = tmp_path / "envhome"
    assert run(home, "import", str(src), env_home=True).returncode == 0
    assert (home / "corpus" / "one-entry.yaml").exists()
    rebuilt = run(home, "index", "--rebuild", env_home=True)
    assert rebuilt.returncode == 0 and "rebuilt, 1 indexed" in rebuilt.stdout
    again = run(home, "index", env_home=True)
    assert "0 indexed" in again.stdout and "1 unchanged" in again.stdout


def test_index_exits_1_when_a_stored_file_is_unreadable(tmp_path):
    home = tmp_path / "home"
    src = write_entries(
        tmp_path / "e.yaml", [{"id": "good-one", "type": "trend", "title": "Good", "lang": "en"}]
    )
    assert run(home, "import", str(src)).returncode == 0
    (home / "corpus" / "broken-one.yaml").write_text("id: broken-one\ntitle: [\n")
    done = run(home, "index")
    assert done.returncode == 1 and "broken-one" in done.stderr


def test_serve_on_a_busy_port_says_so_in_one_line(tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = run(tmp_path / "home", "serve", "--port", str(port))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and f"127.0.0.1:{port}" in done.stderr
