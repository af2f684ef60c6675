"""Names: normalising, given-name variants and a trigram similarity that behaves like pg_trgm.

The same normalised form is stored on the records (for the PostgreSQL trigram
indexes) and used to score matches in Python, so PostgreSQL and the SQLite
fallback rank results alike.
"""

from __future__ import annotations

import csv
import itertools
import re
import unicodedata
from functools import cache
from pathlib import Path

VARIANTS_FILE = Path(__file__).resolve().parent / "data" / "name_variants.csv"
_NOT_LETTERS = re.compile(r"[^a-z ]+")
_APOSTROPHES = re.compile(r"['’`]")
_SPACES = re.compile(r"\s+")


def normalise(text: str | None) -> str:
    """Lower case, accents removed, apostrophes dropped (O'Brien → obrien),
    other punctuation (hyphens) as spaces, single spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = _APOSTROPHES.sub("", plain)
    plain = _NOT_LETTERS.sub(" ", plain)
    return _SPACES.sub(" ", plain).strip()


def tokens(text: str | None) -> list[str]:
    return normalise(text).split()


@cache
def variant_groups() -> dict[str, frozenset[str]]:
    """name -> every name it may be written as (itself included), from the shipped table."""
    groups: dict[str, set[str]] = {}
    with VARIANTS_FILE.open(encoding="utf-8") as f:
        for row in csv.reader(line for line in f if line.strip() and not line.startswith("#")):
            names = {normalise(n) for n in row if normalise(n)}
            for name in names:
                groups.setdefault(name, {name}).update(names)
    return {name: frozenset(group) for name, group in groups.items()}


def variants(token: str) -> frozenset[str]:
    token = normalise(token)
    return variant_groups().get(token, frozenset({token}))


def query_variants(text: str, limit: int = 40) -> list[str]:
    """The query with each word replaced by its variants (the typed form first)."""
    words = tokens(text)
    if not words:
        return []
    options = [[w, *sorted(variants(w) - {w})] for w in words]
    return [" ".join(combo) for combo in itertools.islice(itertools.product(*options), limit)]


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    result: set[str] = set()
    for word in tokens(text):
        padded = f"  {word} "
        result.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return result


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def word_score(query_word: str, name_words: list[str]) -> float:
    """How well one typed word matches the best of a record's name words (a variant counts as exact)."""
    best = 0.0
    alternatives = variants(query_word)
    for word in name_words:
        if word in alternatives:
            return 1.0
        best = max(best, similarity(query_word, word))
    return best


def name_score(query: str, name: str) -> float:
    """0..1: the better of whole-name trigram similarity (with variants) and the mean
    best-word score, so "Smyth" finds "Jayden Smith" and "Danny Smith" finds "Daniel Smith"."""
    query_words = tokens(query)
    name_words = tokens(name)
    if not query_words or not name_words:
        return 0.0
    whole = max((similarity(q, name) for q in query_variants(query)), default=0.0)
    words = sum(word_score(w, name_words) for w in query_words) / len(query_words)
    return max(whole, words)
