"""The query language and its translation into Whoosh queries.

Syntax: words, "exact phrases", AND, OR, NOT (upper case), a leading minus
(-word), parentheses. Words side by side are a *soft AND*: all of them must
match for up to three words, most of them for longer queries, so one extra
word never empties the results. A malformed query (an unclosed quote or
parenthesis, an operator with nothing on one side) is a QueryError.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from whoosh import query as wq

from indexer.analysis import ANALYSED_LANGS, FIELD_LANGS, fold, stop_words, word_forms, words
from indexer.schema import PART_BOOSTS, TEXT_PARTS, spell_field, text_field
from observatory.errors import QueryError

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 40
OPERATORS = {"AND", "OR", "NOT"}


@dataclass(frozen=True)
class Word:
    text: str  # lowercased


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


@dataclass(frozen=True)
class Not:
    child: object


@dataclass(frozen=True)
class Group:
    """Children combined: 'and' (all), 'soft' (most), or 'or' (any)."""

    kind: str
    children: tuple


_TOKEN = re.compile(r'"[^"]*"|\(|\)|-(?=["\w(])|[^\s()"]+|"', re.UNICODE)


def _lex(text: str) -> list[str]:
    tokens = _TOKEN.findall(text)
    for token in tokens:
        if token == '"':
            raise QueryError('the query has an unclosed quote (")')
    return tokens


class _Parser:
    def __init__(self, tokens: list[str]):
        self.tokens = tokens
        self.pos = 0
        self.clauses = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self):
        node = self.or_expr()
        if self.peek() is not None:
            token = self.peek()
            if token == ")":
                raise QueryError("the query has a ')' without a matching '('")
            raise QueryError(f"unexpected {token!r} in the query")
        return node

    def or_expr(self):
        children = [self.and_expr()]
        while self.peek() == "OR":
            self.take()
            if self.peek() in (None, ")", "OR", "AND"):
                raise QueryError("OR needs something on both sides")
            children.append(self.and_expr())
        return children[0] if len(children) == 1 else Group("or", tuple(children))

    def and_expr(self):
        children = [self.unary()]
        explicit = False
        while (token := self.peek()) is not None and token not in (")", "OR"):
            if token == "AND":
                self.take()
                explicit = True
                if self.peek() in (None, ")", "OR", "AND"):
                    raise QueryError("AND needs something on both sides")
            children.append(self.unary())
        children = [c for c in children if c is not None]
        if not children:
            return None
        if len(children) == 1:
            return children[0]
        return Group("and" if explicit else "soft", tuple(children))

    def unary(self):
        token = self.peek()
        if token is None:
            raise QueryError("the query ends where a word was expected")
        if token in ("NOT", "-"):
            self.take()
            if self.peek() in (None, ")", "OR", "AND", "NOT"):
                raise QueryError(f"{token} needs a word after it")
            return Not(self.unary())
        return self.primary()

    def primary(self):
        token = self.take()
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            raise QueryError(f"the query is too long (at most {MAX_CLAUSES} words)")
        if token == "(":
            if self.peek() == ")":
                raise QueryError("empty parentheses in the query")
            node = self.or_expr()
            if self.peek() != ")":
                raise QueryError("the query has a '(' without a matching ')'")
            self.take()
            return node
        if token == ")":
            raise QueryError("the query has a ')' without a matching '('")
        if token in ("AND", "OR"):
            raise QueryError(f"{token} needs something on both sides")
        if token.startswith('"'):
            found = tuple(w for _, _, w in words(token.strip('"')))
            if not found:
                return None
            return Word(found[0]) if len(found) == 1 else Phrase(found)
        found = [w for _, _, w in words(token)]
        if not found:
            return None
        if len(found) == 1:
            return Word(found[0])
        return Phrase(tuple(found))  # "e-government", "co-working": parts in order


def parse(text: str):
    """The query tree of `text`, None for an empty query."""
    text = (text or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is too long (at most {MAX_QUERY_CHARS} characters)")
    if not text:
        return None
    if text.count("(") != text.count(")"):
        raise QueryError("the query's parentheses are not balanced")
    return _Parser(_lex(text)).parse()


def positive_words(node) -> list[str]:
    """The words a result should contain (not those under NOT), in order."""
    if node is None or isinstance(node, Not):
        return []
    if isinstance(node, Word):
        return [node.text]
    if isinstance(node, Phrase):
        return list(node.words)
    return [w for child in node.children for w in positive_words(child)]


def soft_minimum(n: int) -> int:
    """How many of n side-by-side words must match: all up to three, then three quarters."""
    return n if n <= 3 else math.ceil(n * 0.75)


# --- Whoosh queries for the leaves ---------------------------------------------


def stop_languages(word: str) -> list[str]:
    """The analysed languages in which `word` is a stop word (not indexed)."""
    return [
        lang
        for lang in ANALYSED_LANGS
        if word in stop_words(lang) or fold(word) in stop_words(lang)
    ]


def is_stop_everywhere(word: str) -> bool:
    return len(stop_languages(word)) == len(ANALYSED_LANGS)


def word_query(word: str, boost: float = 1.0) -> wq.Query | None:
    """One word looked up in every language's fields, each analysed its own way."""
    clauses: list[wq.Query] = []
    for lang in FIELD_LANGS:
        forms = word_forms(word, lang)
        for part in TEXT_PARTS:
            field = text_field(part, lang)
            for form in forms:
                clauses.append(wq.Term(field, form, boost=PART_BOOSTS[part]))
    folded = fold(word)
    clauses.append(wq.Term("tags", folded, boost=1.5))
    clauses.append(wq.Term("place", folded, boost=1.5))
    return wq.Or(clauses, boost=boost) if clauses else None


def fuzzy_query(word: str, boost: float = 0.6) -> wq.Query | None:
    """Typo tolerance for longer words: near spellings in the unstemmed vocabulary."""
    if len(word) < 5:
        return None
    distance = 1 if len(word) < 9 else 2
    return wq.Or(
        [
            wq.FuzzyTerm(spell_field(lang), word, maxdist=distance, prefixlength=1)
            for lang in FIELD_LANGS
        ],
        boost=boost,
    )


def phrase_query(phrase: tuple[str, ...], slop: int = 1, boost: float = 2.0) -> wq.Query | None:
    """An exact phrase in any language's text fields (stop words inside it are skipped)."""
    clauses = []
    for lang in FIELD_LANGS:
        forms = [word_forms(w, lang) for w in phrase]
        kept = [f[-1] for f in forms if f]  # stem(fold(word)): indexed for every spelling
        if not kept:
            continue
        gaps = len(forms) - len(kept)
        for part in TEXT_PARTS:
            field = text_field(part, lang)
            if len(kept) == 1:
                clauses.append(wq.Term(field, kept[0], boost=PART_BOOSTS[part]))
            else:
                clauses.append(wq.Phrase(field, kept, slop=slop + gaps, boost=PART_BOOSTS[part]))
    return wq.Or(clauses, boost=boost) if clauses else None
