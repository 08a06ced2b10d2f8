"""Every line that touches Whoosh: analysis, schema, build, query, facets,
highlight, search. Depends on `observatory` and `corpus`; knows nothing of Flask."""
