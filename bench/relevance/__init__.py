"""Relevance evaluation: judged queries, metrics, and the SQLite FTS5 baseline."""
