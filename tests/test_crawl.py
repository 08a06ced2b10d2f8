"""Crawls of real fixture sites on 127.0.0.1: politeness, identity, duplicates, resumption."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from crawlserver import FixtureServer

from corpus.crawl import Crawler
from corpus.fetch import Fetcher
from corpus.robots import Robots
from corpus.sources import source_from_mapping
from corpus.store import CorpusStore
from observatory.cli import cli
from observatory.home import Home

SETTINGS = {
    "crawl": {
        "allow_private_addresses": True,
        "delay": 0.001,
        "backoff": 0.001,
        "max_retry_wait": 0.01,
        "max_bytes": 1_000_000,
    }
}
SITE_PAGES = [
    "/en/practices/bike-lanes.html",
    "/en/practices/flood-sensors.html",
    "/en/practices/open-budget.html",
]


@pytest.fixture
def server():
    with FixtureServer() as srv:
        yield srv


def make_home(tmp_path: Path, server: FixtureServer, sources: list[dict], **crawl) -> Home:
    settings = {"crawl": {**SETTINGS["crawl"], **crawl}}
    (tmp_path / "settings.yaml").write_text(yaml.safe_dump(settings))
    for source in sources:
        source["url"] = server.url(source["url"])
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump(sources))
    return Home(tmp_path)


def crawl(home: Home, source: dict):
    with Crawler(home) as crawler:
        return crawler.crawl(source_from_mapping(source, "test"))


def stored(home: Home) -> dict[str, dict]:
    return {
        e.url.split(":", 2)[-1].split("/", 1)[-1]: e.to_mapping()
        for e in CorpusStore(home.corpus_dir).entries()
    }


def test_site_crawl_keeps_to_its_prefix_and_obeys_robots(tmp_path, server):
    home = make_home(
        tmp_path, server, [{"name": "riverton", "kind": "site", "url": "/en/practices/"}]
    )
    report = crawl(home, yaml.safe_load(home.sources_path.read_text())[0])
    entries = stored(home)
    assert sorted(entries) == [p.lstrip("/") for p in SITE_PAGES]
    assert {e["status"] for e in entries.values()} == {"draft"}
    assert {e["type"] for e in entries.values()} == {"practice"}
    requested = {path for path, _ in server.log}
    assert requested == {"/robots.txt", "/en/practices/", "/en/practices/moved", *SITE_PAGES}
    assert report.skipped["disallowed by robots.txt"] == 1  # private/secret.html
    assert report.skipped["off-site"] >= 2  # elsewhere.example.net and /es/
    assert (len(report.new), report.refused, report.hubs) == (3, [], 1)


def test_recrawl_updates_in_place_and_keeps_editors_fields(tmp_path, server):
    home = make_home(tmp_path, server, [])
    source = {"name": "riverton", "kind": "site", "url": server.url("/en/practices/")}
    crawl(home, source)
    store = CorpusStore(home.corpus_dir)
    bike = next(e for e in store.entries() if "bike-lanes" in e.id)
    store.put(bike.evolve(themes=["smart-mobility"], status="published"))
    server.log.clear()

    unchanged = crawl(home, source)
    assert [status for _, status in server.log if status == 200] == [200]  # robots.txt only
    assert (len(unchanged.new), len(unchanged.updated), unchanged.not_modified) == (0, 0, 4)

    page = (Path(__file__).parent / "fixtures/sites/en/practices/bike-lanes.html").read_bytes()
    server.overrides["/en/practices/bike-lanes.html"] = page.replace(b"forty", b"fifty")
    changed = crawl(home, source)
    assert (len(changed.new), changed.updated) == (0, [bike.id])
    after = store.get(bike.id)
    assert "fifty kilometres" in after.body
    assert (after.themes, after.status) == (["smart-mobility"], "published")
    assert len(store) == 3


def test_sitemap_index_with_gzip(tmp_path, server):
    home = make_home(tmp_path, server, [])
    report = crawl(
        home,
        {
            "name": "maps",
            "kind": "sitemap",
            "url": server.url("/sitemap-index.xml"),
            "status": "published",
            "defaults": {"country": "FR"},
        },
    )
    entries = stored(home)
    assert sorted(entries) == [
        "en/practices/bike-lanes.html",
        "en/practices/open-budget.html",
        "fr/pratiques/budget-participatif.html",
        "fr/pratiques/compostage.html",
    ]
    assert {(e["status"], e["country"], e["region"]) for e in entries.values()} == {
        ("published", "FR", "europe")
    }
    assert {e["lang"] for p, e in entries.items() if p.startswith("fr/")} == {"fr"}
    assert "/en/practices/private/secret.html" not in {p for p, _ in server.log}
    assert report.skipped == {"disallowed by robots.txt": 1, "off-site": 1}


def test_near_duplicates_across_sources_are_grouped(tmp_path, server):
    home = make_home(tmp_path, server, [])
    crawl(home, {"name": "riverton", "kind": "site", "url": server.url("/en/practices/")})
    report = crawl(home, {"name": "press", "kind": "site", "url": server.url("/misc/")})
    entries = stored(home)
    assert len(entries) == 3 and len(report.grouped) == 1 and report.new == []
    assert entries["en/practices/bike-lanes.html"]["also_reported_by"] == [
        server.url("/misc/riverton-cycling.html")
    ]
    again = crawl(home, {"name": "press", "kind": "site", "url": server.url("/misc/")})
    assert again.new == [] and len(stored(home)) == 3


@pytest.mark.parametrize("feed", ["rss091.xml", "rss10.rdf", "rss20.xml", "atom.xml", "feed.json"])
def test_feed_items_become_trend_entries_with_links(tmp_path, server, feed):
    home = make_home(tmp_path, server, [])
    report = crawl(home, {"name": "news", "kind": "feed", "url": server.url(f"/feeds/{feed}")})
    entries = list(CorpusStore(home.corpus_dir).entries())
    assert len(entries) == len(report.new) >= 2
    assert {e.type for e in entries} == {"trend"}
    linked = [e for e in entries if e.url]
    assert all(e.url.startswith(server.base) for e in linked)
    assert len(linked) >= len(entries) - 1  # rss20.xml has one item without a link
    assert all(e.lang in ("en", "fr", "es", "pt") for e in entries)
    assert not [p for p, _ in server.log if not p.startswith(("/feeds/", "/robots.txt"))]


def test_feed_discovery_and_full_text(tmp_path, server):
    home = make_home(tmp_path, server, [])
    report = crawl(
        home,
        {
            "name": "news",
            "kind": "feed",
            "url": server.url("/en/practices/"),
            "fetch_full_text": True,
        },
    )
    assert report.refused == []  # the item without link is kept, with its summary
    store = CorpusStore(home.corpus_dir)
    flood = next(e for e in store.entries() if "flood" in e.id)
    assert flood.title == "Flood sensors" and "tributaries" in flood.body
    assert flood.published == "2022-03-01"
    assert server.full_fetches("/feeds/rss20.xml") == 1
    assert server.url("/en/practices/open-budget.html") in {e.url for e in store.entries()}


def test_private_addresses_refused_by_default(tmp_path, server):
    home = make_home(tmp_path, server, [], allow_private_addresses=False)
    report = crawl(home, {"name": "riverton", "kind": "site", "url": server.url("/en/practices/")})
    assert [r.message for r in report.refused] == [
        "robots.txt could not be read (private or local address 127.0.0.1 refused)"
    ]
    assert server.log == []


def test_page_cap(tmp_path, server):
    home = make_home(tmp_path, server, [], max_pages=2)
    report = crawl(home, {"name": "riverton", "kind": "site", "url": server.url("/en/practices/")})
    assert report.capped and report.fetched == 2


def test_robots_crawl_delay_and_wildcards(tmp_path, server):
    home = make_home(tmp_path, server, [])
    fetcher = Fetcher(home.settings)
    robots = Robots(fetcher)
    assert (
        robots.refusal(server.url("/en/practices/private/secret.html"))
        == "disallowed by robots.txt"
    )
    assert robots.refusal(server.url("/en/practices/private/public-note.html")) is None
    assert robots.refusal(server.url("/en/practices/report.pdf")) == "disallowed by robots.txt"
    assert robots.refusal(server.url("/en/practices/report.pdf?download=1")) is None
    assert fetcher.delay_for("127.0.0.1") == 0.02
    assert server.hits["/robots.txt"] == 1


def test_cli_crawl_by_url_exit_codes(tmp_path, server):
    home = make_home(tmp_path, server, [])
    runner = CliRunner()
    ok = runner.invoke(
        cli,
        ["--home", str(home.path), "crawl", "--no-index", "--feed", server.url("/feeds/atom.xml")],
    )
    assert ok.exit_code == 0, ok.output
    assert "2 new" in ok.output
    bad = runner.invoke(
        cli, ["--home", str(home.path), "crawl", "--no-index", "--site", server.url("/status/404")]
    )
    assert bad.exit_code == 1
    assert "HTTP 404" in bad.output
    unknown = runner.invoke(cli, ["--home", str(home.path), "crawl", "nope"])
    assert unknown.exit_code == 2


def test_crawl_killed_with_sigkill_resumes_without_refetching(tmp_path, server):
    home = make_home(
        tmp_path, server, [{"name": "riverton", "kind": "site", "url": "/en/practices/"}]
    )
    command = [
        sys.executable,
        "-m",
        "observatory",
        "--home",
        str(home.path),
        "crawl",
        "riverton",
        "--no-index",
    ]
    server.block_path = "/en/practices/open-budget.html"
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert server.arrived.wait(30), "the crawl never reached the blocking page"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
    server.block_path = None
    server.release.set()  # the blocked handler drops its connection without answering
    with sqlite3.connect(home.database_path) as db:
        done = {
            url for (url,) in db.execute("SELECT url FROM crawl_frontier WHERE state != 'pending'")
        }
    assert done == {server.url("/en/practices/"), server.url("/en/practices/bike-lanes.html")}
    first_run = list(server.log)

    server.log.clear()
    resumed = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed an interrupted crawl" in resumed.stdout
    pages = [(p, s) for p, s in server.log if p != "/robots.txt"]
    assert sorted(pages) == [
        ("/en/practices/flood-sensors.html", 200),
        ("/en/practices/moved", 302),
        ("/en/practices/open-budget.html", 200),
    ]
    assert ("/en/practices/bike-lanes.html", 200) in first_run
    entries = CorpusStore(home.corpus_dir).ids()
    assert len(entries) == len(set(entries)) == 3

    server.log.clear()
    again = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0
    assert [s for p, s in server.log if p != "/robots.txt" and s == 200] == []
    assert CorpusStore(home.corpus_dir).ids() == entries
