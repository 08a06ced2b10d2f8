"""The HTTP seam against a real server on 127.0.0.1: redirects, retries, caps, charsets."""

from __future__ import annotations

import pytest
from crawlserver import FixtureServer

from corpus.fetch import PAGE_TYPES, Fetcher, FetchRefused, is_public_address, parse_retry_after
from observatory.settings import Settings

SETTINGS = """crawl:
  allow_private_addresses: true
  delay: 0
  backoff: 0.01
  max_retry_wait: 0.05
  retries: 2
  max_bytes: 1000000
  max_redirects: 5
contact_url: https://observatory.example/contact
"""


@pytest.fixture(scope="module")
def server():
    with FixtureServer() as srv:
        yield srv


def make_fetcher(tmp_path, extra: str = "", waits: list | None = None) -> Fetcher:
    path = tmp_path / "settings.yaml"
    path.write_text(SETTINGS + extra)
    sleep = waits.append if waits is not None else (lambda _s: None)
    return Fetcher(Settings(path, environ={}), sleep=sleep)


def test_user_agent_names_the_observatory_and_its_contact(server, tmp_path):
    make_fetcher(tmp_path).get(server.url("/en/practices/bike-lanes.html"))
    assert server.user_agents[-1] == "Observatory/0.1.0 (+https://observatory.example/contact)"


def test_redirects_are_followed_hop_by_hop(server, tmp_path):
    checked = []
    response = make_fetcher(tmp_path).get(
        server.url("/hop/1"), check=lambda url: checked.append(url)
    )
    assert response.url == server.url("/en/practices/bike-lanes.html")
    assert response.redirects == [server.url(p) for p in ("/hop/1", "/hop/2", "/hop/3")]
    assert checked == [server.url(p) for p in ("/hop/2", "/hop/3", "/en/practices/bike-lanes.html")]


def test_redirect_loop_is_refused(server, tmp_path):
    with pytest.raises(FetchRefused, match="redirect loop"):
        make_fetcher(tmp_path).get(server.url("/loop/a"))


def test_redirect_limit(server, tmp_path):
    fetcher = make_fetcher(tmp_path)
    fetcher.max_redirects = 2
    with pytest.raises(FetchRefused, match="more than 2 redirects"):
        fetcher.get(server.url("/hop/1"))


def test_redirect_vetoed_by_check(server, tmp_path):
    with pytest.raises(FetchRefused, match="refused address: off-site"):
        make_fetcher(tmp_path).get(
            server.url("/en/practices/away"),
            check=lambda url: "off-site" if "elsewhere" in url else None,
        )


def test_404_is_refused_without_retry(server, tmp_path):
    before = server.hits.get("/status/404", 0)
    with pytest.raises(FetchRefused) as caught:
        make_fetcher(tmp_path).get(server.url("/status/404"))
    assert (caught.value.status, server.hits["/status/404"] - before) == (404, 1)


def test_429_is_retried_after_the_capped_retry_after(server, tmp_path):
    waits: list[float] = []
    response = make_fetcher(tmp_path, waits=waits).get(server.url("/status/429"))
    assert response.status == 200 and "bike lanes" in response.text
    assert server.hits["/status/429"] == 2
    assert 0.05 in waits  # Retry-After: 1, capped by max_retry_wait


def test_500_is_retried_then_refused(server, tmp_path):
    before = server.hits.get("/status/500", 0)
    with pytest.raises(FetchRefused, match="HTTP 500"):
        make_fetcher(tmp_path).get(server.url("/status/500"))
    assert server.hits["/status/500"] - before == 3  # the request and two retries


def test_retry_after_parsing():
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT") == 0.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 60) == 60.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_private_addresses_are_refused_unless_allowed(server, tmp_path):
    fetcher = make_fetcher(tmp_path)
    fetcher.allow_private = False
    requests = len(server.log)
    for url in (server.url("/en/practices/"), f"http://localhost:{server.port}/en/practices/"):
        with pytest.raises(FetchRefused, match="private or local address"):
            fetcher.get(url)
    assert len(server.log) == requests  # nothing was sent


@pytest.mark.parametrize(
    "address, public",
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.1", False),
        ("172.16.5.4", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1", False),
        ("::ffff:127.0.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
    ],
)
def test_public_address_classification(address, public):
    assert is_public_address(address) is public


def test_huge_page_is_refused(server, tmp_path):
    with pytest.raises(FetchRefused, match="too large"):
        make_fetcher(tmp_path).get(server.url("/huge.html"))


def test_non_html_content_is_refused(server, tmp_path):
    fetcher = make_fetcher(tmp_path)
    for path in ("/image.png", "/en/practices/data.csv"):
        with pytest.raises(FetchRefused, match="content type .* is not accepted"):
            fetcher.get(server.url(path), accept=PAGE_TYPES)


def test_conditional_get_answers_not_modified(server, tmp_path):
    fetcher = make_fetcher(tmp_path)
    first = fetcher.get(server.url("/en/practices/open-budget.html"))
    again = fetcher.get(server.url("/en/practices/open-budget.html"), etag=first.headers["etag"])
    assert (first.status, again.status, again.not_modified, again.body) == (200, 304, True, b"")


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/es/practicas/datos-abiertos.html", "más de trescientos"),  # Windows-1252 served as UTF-8
        ("/pt/praticas/saude-digital.html", "unidades básicas de saúde"),  # UTF-8 served as Latin-1
        ("/fr/pratiques/compostage.html", "installé quarante composteurs"),  # no charset anywhere
        ("/fr/pratiques/budget-participatif.html", "décident de 5 %"),  # <meta http-equiv> only
    ],
)
def test_wrong_and_missing_charsets_decode(server, tmp_path, path, expected):
    assert expected in make_fetcher(tmp_path).get(server.url(path)).text


def test_politeness_delay_between_requests_to_one_host(server, tmp_path):
    waits: list[float] = []
    fetcher = make_fetcher(tmp_path, waits=waits)
    fetcher.set_delay("127.0.0.1", 5.0)
    fetcher.get(server.url("/en/practices/"))
    fetcher.get(server.url("/en/practices/"))
    assert len(waits) == 1 and 4.0 < waits[0] <= 5.0
