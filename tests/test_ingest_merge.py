"""A re-crawl never undoes an editor's work: only fields nobody edited take the page's new text."""

from corpus.crawlstate import CrawlState
from corpus.ingest import Ingester
from corpus.sources import Source
from corpus.store import CorpusStore

URL = "https://city.example.org/practices/bike-share"
SOURCE = Source(
    name="city", kind="site", url="https://city.example.org/practices/", type="practice"
)


def crawl(ingester, title, body):
    return ingester.ingest(SOURCE, URL, {"title": title, "body": body, "lang": "en"})


def test_recrawl_updates_unedited_fields_and_keeps_edited_ones(tmp_path):
    store = CorpusStore(tmp_path / "corpus")
    ingester = Ingester(store, CrawlState(tmp_path / "state.db"))
    entry_id = crawl(
        ingester, "Bike share", "Bicycles for hire across the centre of the city."
    ).entry_id
    stored = store.get(entry_id)
    store.put(
        stored.evolve(title="Public bike-sharing scheme", themes=["smart-mobility"]),
        expected_version=stored.version,
    )
    outcome = crawl(
        ingester, "Bike share (updated page)", "Electric bicycles for hire across the whole city."
    )
    after = store.get(entry_id)
    assert outcome.kind == "updated"
    assert after.title == "Public bike-sharing scheme"  # the editor's title stays
    assert after.themes == ["smart-mobility"]
    assert (
        after.body == "Electric bicycles for hire across the whole city."
    )  # nobody edited the body
    assert (
        crawl(
            ingester,
            "Bike share (updated page)",
            "Electric bicycles for hire across the whole city.",
        ).kind
        == "unchanged"
    )


def test_an_unedited_entry_follows_its_page(tmp_path):
    store = CorpusStore(tmp_path / "corpus")
    ingester = Ingester(store, CrawlState(tmp_path / "state.db"))
    entry_id = crawl(
        ingester, "Bike share", "Bicycles for hire across the centre of the city."
    ).entry_id
    crawl(ingester, "Bike share, renamed", "Bicycles for hire across the centre of the city.")
    assert store.get(entry_id).title == "Bike share, renamed"
