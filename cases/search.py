"""Finding young people: by name or alias (tolerant of misspellings and name variants),
date of birth, and references that other apps know (custody numbers) through a
registry of extra matchers; and the duplicate check before a new record is saved.

Candidates come from the database — PostgreSQL pg_trgm (`%`) on the normalised
names, or a simpler icontains / variants match on SQLite — plus Soundex keys on
both; names.name_score then ranks them the same way on either database.

Other apps add matchers from their AppConfig.ready()::

    from cases import search
    search.register_matcher(search.Matcher(
        key="custody_number", label="custody number",
        match=lambda value: {event.person_id: "Custody number" for event in ...}))
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import connection, models
from django.db.models import ExpressionWrapper, FloatField, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Greatest

from safeguarding.accounts.models import User

from . import names
from .models import Alias, Case, YoungPerson
from .selectors import Contact, people_visible_to, person_contacts

# Candidates ranked in the database before Python scores them with names.name_score; the
# database's rank estimates that score, so three pages of results is margin enough.
CANDIDATE_LIMIT = 100
# SQLite ranks in Python: how many matching rows it reads at most (the embedded demo is small).
SQLITE_SCAN_LIMIT = 5000


@dataclass(frozen=True)
class Matcher:
    key: str
    label: str  # what the user may type, in lower case: "custody number"
    # The typed value → {person id: reason shown with the result}.
    match: Callable[[str], dict[int, str]]


_matchers: dict[str, Matcher] = {}


def register_matcher(matcher: Matcher) -> None:
    _matchers[matcher.key] = matcher


def reference_label() -> str:
    labels = [m.label for m in _matchers.values()]
    if not labels:
        return "Reference"
    text = ", ".join(labels[:-1]) + (" or " if len(labels) > 1 else "") + labels[-1]
    return text[0].upper() + text[1:]


_CASE_REFERENCE = re.compile(r"^\s*(SG|YP)\s*0*(\d{1,9})\s*$", re.IGNORECASE)


def match_record_reference(value: str) -> dict[int, str]:
    found = _CASE_REFERENCE.match(value or "")
    if not found:
        return {}
    prefix, number = found.group(1).upper(), int(found.group(2))
    if prefix == "SG":
        person_id = Case.objects.filter(pk=number).values_list("person_id", flat=True).first()
        return {person_id: "Case reference"} if person_id else {}
    person = YoungPerson.objects.filter(pk=number).values_list("pk", "merged_into_id").first()
    return {person[1] or person[0]: "Record number"} if person else {}


@dataclass
class SearchResult:
    person: YoungPerson
    score: float
    reasons: list[str]
    in_scope: bool = False
    contacts: list[Contact] = field(default_factory=list)
    matched_alias: str = ""


@dataclass(frozen=True)
class _NameFields:
    """Where a model keeps a searchable name: the whole normalised name, the columns that
    hold one name word each (exact variant matches) and the Soundex keys."""

    whole: str
    words: tuple[str, ...]
    keys: str


_PERSON = _NameFields(whole="full_name_norm", words=("given_name_norm", "family_name_norm"), keys="name_keys")
_ALIAS = _NameFields(whole="name_norm", words=("name_norm",), keys="name_keys")


def _word_matches(fields: _NameFields, word: str) -> tuple[Q, Q]:
    """(a shipped variant of the word is a name word, the Soundex key matches)."""
    alternatives = sorted(names.variants(word))
    variant = Q()
    for column in fields.words:
        variant |= Q(**{f"{column}__in": alternatives})
    return variant, Q(**{f"{fields.keys}__contains": f" {names.soundex(word)} "})


def _word_filter(fields: _NameFields, word: str, postgres: bool) -> Q:
    """Rows with a name word like `word`: a variant, the Soundex key, a similar word."""
    variant, sounds_like = _word_matches(fields, word)
    found = variant | sounds_like
    if postgres:
        found |= Q(**{f"{fields.whole}__trigram_word_similar": word})
        for column in fields.words:
            found |= Q(**{f"{column}__trigram_similar": word})
    else:
        for alternative in sorted(names.variants(word)):
            found |= Q(**{f"{fields.whole}__icontains": alternative})
    return found


def _name_filter(fields: _NameFields, text: str, *, every_word: bool = False) -> Q:
    """Rows whose name may be like `text`: the whole name is similar, or any typed word is
    like one of its words (with ``every_word``: each typed word is). On PostgreSQL each
    branch is served by a pg_trgm GIN index (similarity `%`, word similarity `<%`,
    equality, LIKE)."""
    words = names.tokens(text)
    found = Q(pk__in=[])
    if not words:
        return found
    postgres = connection.vendor == "postgresql"
    per_word = [_word_filter(fields, word, postgres) for word in words]
    if every_word:
        # Not the whole name's similarity: "kayden smith" is 0.3 similar to most "… smith".
        all_words = per_word[0]
        for word_filter in per_word[1:]:
            all_words &= word_filter
        return all_words
    if postgres:
        found |= Q(**{f"{fields.whole}__trigram_similar": names.normalise(text)})
    for word_filter in per_word:
        found |= word_filter
    return found


def _name_rank(fields: _NameFields, text: str):
    """A PostgreSQL estimate of names.name_score, to rank candidates before the limit:
    the better of the whole name's similarity and the mean over typed words of each
    word's best showing (a variant 1, its word similarity, a Soundex match 0.6)."""
    per_word = []
    for word in names.tokens(text):
        variant, sounds_like = _word_matches(fields, word)
        per_word.append(
            Greatest(
                TrigramWordSimilarity(Value(word), fields.whole),  # type: ignore[arg-type]  # the stubs take only a str; a Value is what keeps the word a parameter
                models.Case(models.When(variant, then=Value(1.0)), default=Value(0.0), output_field=FloatField()),
                models.Case(models.When(sounds_like, then=Value(0.6)), default=Value(0.0), output_field=FloatField()),
            )
        )
    words = ExpressionWrapper(sum(per_word[1:], per_word[0]) / len(per_word), output_field=FloatField())
    return Greatest(TrigramSimilarity(fields.whole, names.normalise(text)), words)


def _ranked_ids(
    queryset: QuerySet, fields: _NameFields, text: str, id_field: str, *, every_word: bool = False
) -> list[int]:
    """The CANDIDATE_LIMIT best-matching rows' person ids, best first."""
    return _ranked(queryset.filter(_name_filter(fields, text, every_word=every_word)), fields, text, id_field)


def _ranked(matching: QuerySet, fields: _NameFields, text: str, id_field: str) -> list[int]:
    """Ranked in the database (PostgreSQL) or in Python over a bounded scan (SQLite, the
    embedded demo): never an unordered LIMIT, which at a force's size can cut the very
    person typed."""
    if connection.vendor == "postgresql":
        ranked = matching.annotate(rank=_name_rank(fields, text)).order_by("-rank", "pk")
        return list(ranked.values_list(id_field, flat=True)[:CANDIDATE_LIMIT])
    rows = matching.order_by("pk").values_list(id_field, fields.whole)[:SQLITE_SCAN_LIMIT]
    ranked = sorted(rows, key=lambda row: -names.name_score(text, row[1]))
    return [person_id for person_id, _ in ranked[:CANDIDATE_LIMIT]]


def _ids_by_name(text: str) -> set[int]:
    """Candidate people (not merged away) whose name or an alias is like `text`.

    Names (or aliases) like every typed word are asked for first; only when they are fewer
    than a page of results are names like any one word, or similar as a whole, added. At a
    force's size "Kaydn Smyth" is like 8,000 Smiths by one word and a few dozen Kayden
    Smiths by both: ranking all 8,000 cost most of the search, and names.name_score gives a
    name like only one of the typed words 0 (every typed word must match). A name similar
    only as a whole string (spacing: "Kay Den Smith") scores too, and is asked for only when
    the names like every word do not fill a page."""
    words = names.tokens(text)
    if not words:
        return set()
    people = YoungPerson.objects.filter(merged_into__isnull=True)
    aliases = Alias.objects.filter(person__merged_into__isnull=True)
    ids: set[int] = set()
    if len(words) > 1:
        ids.update(_ranked_ids(people, _PERSON, text, "pk", every_word=True))
        ids.update(_ranked_ids(aliases, _ALIAS, text, "person_id", every_word=True))
        if len(ids) >= settings.SEARCH_MAX_RESULTS:
            return ids
    ids.update(_ranked_ids(people, _PERSON, text, "pk"))
    ids.update(_ranked_ids(aliases, _ALIAS, text, "person_id"))
    return ids


def _load(ids) -> QuerySet[YoungPerson]:
    return (
        YoungPerson.objects.filter(pk__in=ids, merged_into__isnull=True)
        .select_related("created_by_team", "created_by")
        .prefetch_related(
            Prefetch("aliases", queryset=Alias.objects.order_by("name")),
            Prefetch("cases", queryset=Case.objects.select_related("team", "owner")),
        )
    )


def _best_name_of(query: str, full_name_norm: str, aliases: list[tuple[str, str]]) -> tuple[float, str]:
    """(score, alias that matched best or ""): the name, then each alias (by name) that beats it."""
    score = names.name_score(query, full_name_norm)
    alias_hit = ""
    for alias_name, alias_norm in aliases:
        alias_score = names.name_score(query, alias_norm)
        if alias_score > score:
            score, alias_hit = alias_score, alias_name
    return score, alias_hit


@dataclass
class _NameRow:
    pk: int
    full_name_norm: str
    given_name_norm: str
    family_name_norm: str
    date_of_birth: date | None
    home_local_authority: str
    aliases: list[tuple[str, str]] = field(default_factory=list)


def _name_rows(ids: set[int]) -> dict[int, _NameRow]:
    """What scoring needs of each candidate (not merged away): two narrow queries. At a
    force's size the candidates are hundreds and the results a page: only the results are
    then loaded whole (_load)."""
    columns = ("pk", "full_name_norm", "given_name_norm", "family_name_norm", "date_of_birth", "home_local_authority")
    rows = {
        values[0]: _NameRow(*values)
        for values in YoungPerson.objects.filter(pk__in=ids, merged_into__isnull=True).values_list(*columns)
    }
    aliases = Alias.objects.filter(person_id__in=list(rows)).order_by("name", "pk")
    for person_id, alias_name, alias_norm in aliases.values_list("person_id", "name", "name_norm"):
        rows[person_id].aliases.append((alias_name, alias_norm))
    return rows


def _ids_born_on(day: date, limit: int | None = None) -> set[int]:
    found = YoungPerson.objects.filter(date_of_birth=day, merged_into__isnull=True).order_by("pk")
    return set(found.values_list("pk", flat=True)[:limit])


def _reference_hits(reference: str) -> dict[int, str]:
    """Who a reference (PNC, NHS, local ids…) names, with the reason shown: every matcher asked."""
    hits: dict[int, str] = {}
    for matcher in _matchers.values():
        for person_id, reason in matcher.match(reference).items():
            hits.setdefault(person_id, reason)
    return hits


def _search_score(
    row: _NameRow, *, name: str, date_of_birth: date | None, reference_hits: dict[int, str]
) -> tuple[float, list[str], str]:
    """(score, reasons, alias that matched): a name counts once it is close enough."""
    reasons: list[str] = []
    score, alias_hit = _best_name_of(name, row.full_name_norm, row.aliases) if name else (0.0, "")
    if score >= settings.SEARCH_MIN_SCORE:
        reasons.append(f"Alias or street name ({alias_hit})" if alias_hit else "Name")
    else:
        score = 0.0
    if date_of_birth and row.date_of_birth == date_of_birth:
        reasons.append("Date of birth")
        score += 0.5
    if row.pk in reference_hits:
        reasons.append(reference_hits[row.pk])
        score += 1.0
    return score, reasons, alias_hit


def _hold_back_out_of_scope(user: User, results: list[SearchResult] | list[DuplicateCandidate]) -> None:
    """A record the user may not open shows only who to ask: no alias text, no matched alias."""
    visible = set(people_visible_to(user).filter(pk__in=[r.person.pk for r in results]).values_list("pk", flat=True))
    for result in results:
        result.in_scope = result.person.pk in visible
        if not result.in_scope:
            result.contacts = person_contacts(result.person)
            result.reasons = [r.split(" (")[0] for r in result.reasons]
            if isinstance(result, SearchResult):
                result.matched_alias = ""


def search_people(
    *, user: User, name: str = "", date_of_birth: date | None = None, reference: str = ""
) -> list[SearchResult]:
    """Ranked matches; `in_scope` says whether the user may open the record, else only
    `contacts` (team and officer to ask) may be shown."""
    name = (name or "").strip()
    reference = (reference or "").strip()
    reference_hits = _reference_hits(reference) if reference else {}
    ids = (_ids_by_name(name) if name else set()) | set(reference_hits)
    if date_of_birth:
        ids |= _ids_born_on(date_of_birth, CANDIDATE_LIMIT)
    if not ids:
        return []
    scored = []
    for row in _name_rows(ids).values():
        score, reasons, alias_hit = _search_score(
            row, name=name, date_of_birth=date_of_birth, reference_hits=reference_hits
        )
        if reasons:
            scored.append((score, row, reasons, alias_hit))
    scored.sort(key=lambda s: (-s[0], s[1].family_name_norm, s[1].given_name_norm, s[1].pk))
    scored = scored[: settings.SEARCH_MAX_RESULTS]
    people = {person.pk: person for person in _load([row.pk for _, row, _, _ in scored])}
    results = [
        SearchResult(person=people[row.pk], score=score, reasons=reasons, matched_alias=alias_hit)
        for score, row, reasons, alias_hit in scored
        if row.pk in people
    ]
    _hold_back_out_of_scope(user, results)
    return results


# ---------------------------------------------------------------------------
# Duplicate suggestions
# ---------------------------------------------------------------------------


# Duplicate suggestions shown before a new record is saved, best first.
DUPLICATES_SHOWN = 10


@dataclass
class DuplicateCandidate:
    person: YoungPerson
    score: float
    reasons: list[str]
    in_scope: bool = False
    contacts: list[Contact] = field(default_factory=list)


def _duplicate_score(
    row: _NameRow, *, typed_names: list[str], date_of_birth: date | None, authority: str
) -> tuple[float, list[str]]:
    """A similar name or a matching alias, the same date of birth; the same home authority
    only adds weight to one of those."""
    reasons: list[str] = []
    score = 0.0
    name_score, alias_hit = max(
        (_best_name_of(text, row.full_name_norm, row.aliases) for text in typed_names), default=(0.0, "")
    )
    if name_score >= settings.SEARCH_MIN_SCORE:
        score += name_score
        reasons.append(f"Alias matches ({alias_hit})" if alias_hit else "Similar name")
    if date_of_birth and row.date_of_birth == date_of_birth:
        score += 0.6
        reasons.append("Same date of birth")
    if authority and reasons and names.normalise(row.home_local_authority) == authority:
        score += 0.2
        reasons.append("Same home local authority")
    return score, reasons


def duplicate_candidates(
    *,
    user: User,
    given_name: str = "",
    family_name: str = "",
    date_of_birth: date | None = None,
    aliases: list[str] | None = None,
    home_local_authority: str = "",
    exclude_pk: int | None = None,
) -> list[DuplicateCandidate]:
    """Records that may be the same young person as the one being created: similar name,
    same date of birth, an alias that matches, same home authority (which only adds weight)."""
    full = f"{given_name} {family_name}".strip()
    typed_names = [n for n in [full, *(aliases or [])] if n.strip()]
    ids: set[int] = set().union(*(_ids_by_name(text) for text in typed_names))
    if date_of_birth:
        ids |= _ids_born_on(date_of_birth)
    if exclude_pk is not None:
        ids.discard(exclude_pk)
    if not ids:
        return []
    authority = names.normalise(home_local_authority)
    scored = []
    for pk, row in _name_rows(ids).items():
        score, reasons = _duplicate_score(
            row, typed_names=typed_names, date_of_birth=date_of_birth, authority=authority
        )
        if score >= settings.DUPLICATE_MIN_SCORE and reasons:
            scored.append((score, pk, reasons))
    scored.sort(key=lambda s: (-s[0], s[1]))
    scored = scored[:DUPLICATES_SHOWN]
    people = {person.pk: person for person in _load([pk for _, pk, _ in scored])}
    candidates = [
        DuplicateCandidate(person=people[pk], score=score, reasons=reasons)
        for score, pk, reasons in scored
        if pk in people
    ]
    _hold_back_out_of_scope(user, candidates)
    return candidates
