"""Observatory: a multilingual search engine for the good practices of local governments.

This package is the core: entries, taxonomy, languages, settings, the home
folder, the vocabulary of errors, and the command line that composes the rest.
It imports nothing from `corpus`, `indexer` or `webui` at module level.
"""

__version__ = "0.1.0"
