"""The stored corpus and everything that fills it: the store, importers, the demo
corpus, and (for the web) fetching, robots, feeds, sitemaps, extraction and crawling.

Depends on `observatory` only; knows nothing of Whoosh or Flask.
"""
