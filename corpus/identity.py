"""Who a page is: canonical URLs, stable entry ids, and near-duplicate signatures.

An id is a readable slug of host and path plus a short hash of the canonical
URL, so the same page always gets the same id (a re-crawl updates it) and two
pages whose slugs collide after truncation still differ. Near-duplicates
(the same press release on two sites) are found by MinHash over word
5-shingles: an estimate of Jaccard similarity that tolerates a changed
header or footer, which exact hashes do not.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|_ga|ref_src)$", re.IGNORECASE)
SLUG_CHARS = 90
SHINGLE = 5
PERMUTATIONS = 64
MIN_WORDS = 40  # fewer words than this say too little to call two pages the same
SIMILAR = 0.8
_PRIME = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20240607)
_A = _rng.integers(1, 1 << 32, PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, 1 << 32, PERMUTATIONS, dtype=np.uint64)


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = (
        host
        if port is None or (scheme, port) in (("http", 80), ("https", 443))
        else f"{host}:{port}"
    )
    query = urlencode(
        sorted(
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not TRACKING.match(k)
        )
    )
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def slugify(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def entry_id_for(url: str) -> str:
    """A stable id matching [a-z0-9][a-z0-9-]{1,99} for a canonical URL."""
    canonical = canonical_url(url)
    parts = urlsplit(canonical)
    host = (parts.hostname or "").removeprefix("www.")
    path = re.sub(r"\.(html?|php|aspx?)$", "", parts.path)
    slug = slugify(f"{host} {path} {parts.query}")[:SLUG_CHARS].strip("-") or "page"
    digest = hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}"


def _shingle_hashes(text: str) -> np.ndarray:
    words = re.findall(r"\w+", text.lower())
    if len(words) < MIN_WORDS:
        return np.zeros(0, dtype=np.uint64)
    grams = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    return np.fromiter(
        (int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "big") for g in grams),
        dtype=np.uint64,
        count=len(grams),
    )


def signature(text: str) -> bytes:
    """A MinHash signature of the text's word shingles; b'' when the text is too short."""
    hashes = _shingle_hashes(text)
    if hashes.size == 0:
        return b""
    permuted = (hashes[:, None] * _A[None, :] + _B[None, :]) % _PRIME
    return permuted.min(axis=0).astype(np.uint64).tobytes()


def similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard similarity of two signatures (0 when either is empty)."""
    if not first or not second or len(first) != len(second):
        return 0.0
    a = np.frombuffer(first, dtype=np.uint64)
    b = np.frombuffer(second, dtype=np.uint64)
    return float(np.mean(a == b))
