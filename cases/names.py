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


_SOUNDEX = {
    c: d
    for d, letters in {"1": "bfpv", "2": "cgjkqsxz", "3": "dt", "4": "l", "5": "mn", "6": "r"}.items()
    for c in letters
}


def soundex(word: str) -> str:
    """American Soundex of one word: "Smith" and "Smyth" → S530, "Ghost" and "Gohst" → G230."""
    word = normalise(word).replace(" ", "")
    if not word:
        return ""
    digits = []
    previous = _SOUNDEX.get(word[0])
    for char in word[1:]:
        code = _SOUNDEX.get(char)
        if code and code != previous:
            digits.append(code)
        if char not in "hw":
            previous = code
    return (word[0].upper() + "".join(digits) + "000")[:4]


def name_keys(*texts: str) -> str:
    """The Soundex keys of every word, space-padded so " S530 " matches a whole key."""
    keys = sorted({soundex(w) for text in texts for w in tokens(text)})
    return f" {' '.join(keys)} " if keys else ""


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def word_similarity(a: str, b: str) -> float:
    """0..1 for two single words: the better of trigram similarity and a typo allowance
    (one slip, or two in a long word), so "Smyth"/"Smith" and "Gohst"/"Ghost" are close."""
    if a == b:
        return 1.0
    best = similarity(a, b)
    longest = max(len(a), len(b))
    allowed = 2 if longest >= 7 else 1
    if longest >= 4:
        distance = edit_distance(a, b)
        if distance <= allowed:
            best = max(best, 1 - distance / longest)
    return best


def word_score(query_word: str, name_words: list[str]) -> float:
    """How well one typed word matches the best of a record's name words (a variant counts as exact)."""
    best = 0.0
    alternatives = variants(query_word)
    for word in name_words:
        if word in alternatives:
            return 1.0
        best = max(best, word_similarity(query_word, word))
    return best


def name_score(query: str, name: str, min_word: float = 0.3) -> float:
    """0..1. Every typed word must match some word of the name (a variant, a close
    spelling or a typo) and the score is their mean; or the whole name is similar as a
    string (spacing differences). "Smyth" finds "Jayden Smith"; "Danny Smith" finds
    "Daniel Smith" but not "Daniel Jones"."""
    query_words = tokens(query)
    name_words = tokens(name)
    if not query_words or not name_words:
        return 0.0
    whole = max((similarity(q, name) for q in query_variants(query)), default=0.0)
    scores = [word_score(w, name_words) for w in query_words]
    words = sum(scores) / len(scores) if min(scores) >= min_word else 0.0
    return max(whole if whole >= 0.5 else 0.0, words)
