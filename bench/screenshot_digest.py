"""Take docs/digest.png: the HTML part of a mailed digest, as a mail reader shows it.

    .venv/bin/python bench/screenshot_digest.py [--lang fr] [--out docs/digest.png]

It imports the demo corpus into a temporary home, adds a user with an address
and two saved searches, adds new entries, composes the owner's digest with the
code `observatory digest --send` uses (webui.digest_mail.compose), and opens
its HTML part in Debian's Chromium.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.screenshot import ARGS, CHROMIUM, ROOT

NEW = [
    ("digest-demo-1", "Open data portal for tidal energy", "environment-energy", "Brest", "FR"),
    ("digest-demo-2", "Budget participatif des quartiers", "citizen-participation", "Lyon", "FR"),
    ("digest-demo-3", "Real-time bus arrivals by SMS", "smart-mobility", "Kigali", "RW"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="fr")
    parser.add_argument("--out", default=str(ROOT / "docs" / "digest.png"))
    options = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from corpus.accounts import Accounts
    from corpus.importers import demo_folder, import_paths
    from corpus.saved_searches import DIGEST, SavedSearches
    from corpus.store import CorpusStore
    from indexer import watch
    from indexer.build import update_index
    from indexer.search import SearchEngine
    from observatory.entry import entry_from_mapping
    from observatory.home import Home
    from webui import create_app
    from webui.digest_mail import Section, compose

    with tempfile.TemporaryDirectory() as scratch:
        home = Home(Path(scratch) / "home")
        import_paths(CorpusStore(home.corpus_dir), [demo_folder()])
        update_index(home)
        user = Accounts(home.database_path).add_user(
            "amelie",
            "viewer",
            "a long enough password",
            email="amelie@example.org",
            lang=options.lang,
        )
        store = SavedSearches(home.database_path)
        with SearchEngine(home) as engine:
            searches = [
                watch.save_search(engine, store, user.id, "v", name, args)
                for name, args in (
                    ("Énergie et climat", {"theme": ["environment-energy"]}),
                    ("Participation", {"theme": ["citizen-participation", "smart-mobility"]}),
                )
            ]
            entries = [
                entry_from_mapping(
                    {
                        "id": entry_id,
                        "type": "practice",
                        "title": title,
                        "summary": f"{title}: how {city} did it, what it cost, what changed.",
                        "themes": [theme],
                        "city": city,
                        "country": country,
                        "published": "2026-11",
                    }
                )
                for entry_id, title, theme, city, country in NEW
            ]
            for entry in entries:
                CorpusStore(home.corpus_dir).put(entry)
            engine.index_entries(entries)
            sections = []
            for saved in searches:
                records = watch.matching_records(engine, watch.query_of(saved))
                fresh = watch.new_records(records, store.seen(saved.id, DIGEST))
                sections.append(Section(saved, fresh, [r["id"] for r in records]))
        app = create_app(home)
        config = {"base": "https://observatory.example.org", "sender": "digest@example.org"}
        message = compose(app, user, sections, config)
        html = message.get_body(preferencelist=("html",)).get_content()
        page = Path(scratch) / "digest.html"
        page.write_text(html, "utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            view = browser.new_page(viewport={"width": 900, "height": 900})
            view.goto(page.as_uri())
            view.screenshot(path=options.out, full_page=True)
            browser.close()
        print(f"wrote {options.out} ({message['Subject']})")


if __name__ == "__main__":
    main()
