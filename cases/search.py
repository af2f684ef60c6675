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
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from safeguarding.accounts.models import User

from . import names
from .models import Alias, Case, YoungPerson
from .selectors import Contact, people_visible_to, person_contacts

CANDIDATE_LIMIT = 300


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


def _name_filters(text: str) -> tuple[Q, Q]:
    """(filter on YoungPerson, filter on Alias) selecting candidate matches for a typed name."""
    words = names.tokens(text)
    whole = names.normalise(text)
    person_q, alias_q = Q(pk__in=[]), Q(pk__in=[])
    if not words:
        return person_q, alias_q
    postgres = connection.vendor == "postgresql"
    if postgres:
        person_q |= Q(full_name_norm__trigram_similar=whole)
        alias_q |= Q(name_norm__trigram_similar=whole)
    for word in words:
        alternatives = sorted(names.variants(word))
        key = f" {names.soundex(word)} "
        person_q |= (
            Q(given_name_norm__in=alternatives) | Q(family_name_norm__in=alternatives) | Q(name_keys__contains=key)
        )
        alias_q |= Q(name_norm__in=alternatives) | Q(name_keys__contains=key)
        if postgres:
            person_q |= Q(family_name_norm__trigram_similar=word) | Q(given_name_norm__trigram_similar=word)
            alias_q |= Q(name_norm__trigram_similar=word)
        else:
            for alternative in alternatives:
                person_q |= Q(full_name_norm__icontains=alternative)
                alias_q |= Q(name_norm__icontains=alternative)
    return person_q, alias_q


def _ids_by_name(text: str) -> set[int]:
    """Candidate people (not merged away) whose name or an alias is like `text`."""
    person_q, alias_q = _name_filters(text)
    ids = set(
        YoungPerson.objects.filter(person_q, merged_into__isnull=True).values_list("pk", flat=True)[:CANDIDATE_LIMIT]
    )
    ids.update(Alias.objects.filter(alias_q).values_list("person_id", flat=True)[:CANDIDATE_LIMIT])
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


def _best_name(query: str, person: YoungPerson) -> tuple[float, str]:
    """(score, alias that matched best or "")."""
    score = names.name_score(query, person.full_name_norm)
    alias_hit = ""
    for alias in person.aliases.all():
        alias_score = names.name_score(query, alias.name_norm)
        if alias_score > score:
            score, alias_hit = alias_score, alias.name
    return score, alias_hit


def search_people(
    *, user: User, name: str = "", date_of_birth: date | None = None, reference: str = ""
) -> list[SearchResult]:
    """Ranked matches; `in_scope` says whether the user may open the record, else only
    `contacts` (team and officer to ask) may be shown."""
    name = (name or "").strip()
    reference = (reference or "").strip()
    ids: set[int] = set()
    reference_hits: dict[int, str] = {}
    if name:
        ids |= _ids_by_name(name)
    if date_of_birth:
        ids.update(
            YoungPerson.objects.filter(date_of_birth=date_of_birth, merged_into__isnull=True).values_list(
                "pk", flat=True
            )[:CANDIDATE_LIMIT]
        )
    if reference:
        for matcher in _matchers.values():
            for person_id, reason in matcher.match(reference).items():
                reference_hits.setdefault(person_id, reason)
        ids.update(reference_hits)
    if not ids:
        return []

    minimum = settings.SEARCH_MIN_SCORE
    results = []
    for person in _load(ids):
        reasons = []
        score = 0.0
        alias_hit = ""
        if name:
            score, alias_hit = _best_name(name, person)
            if score >= minimum:
                reasons.append(f"Alias or street name ({alias_hit})" if alias_hit else "Name")
            else:
                score = 0.0
        dob_match = bool(date_of_birth and person.date_of_birth == date_of_birth)
        if dob_match:
            reasons.append("Date of birth")
            score += 0.5
        if person.pk in reference_hits:
            reasons.append(reference_hits[person.pk])
            score += 1.0
        if not reasons:
            continue
        results.append(SearchResult(person=person, score=score, reasons=reasons, matched_alias=alias_hit))

    visible = set(people_visible_to(user).filter(pk__in=[r.person.pk for r in results]).values_list("pk", flat=True))
    for result in results:
        result.in_scope = result.person.pk in visible
        if not result.in_scope:
            result.contacts = person_contacts(result.person)
            result.reasons = [r.split(" (")[0] for r in result.reasons]  # no alias text out of scope
            result.matched_alias = ""
    results.sort(key=lambda r: (-r.score, r.person.family_name_norm, r.person.given_name_norm, r.person.pk))
    return results[: settings.SEARCH_MAX_RESULTS]


# ---------------------------------------------------------------------------
# Duplicate suggestions
# ---------------------------------------------------------------------------


@dataclass
class DuplicateCandidate:
    person: YoungPerson
    score: float
    reasons: list[str]
    in_scope: bool = False
    contacts: list[Contact] = field(default_factory=list)


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
    ids: set[int] = set()
    for text in typed_names:
        ids |= _ids_by_name(text)
    if date_of_birth:
        ids.update(
            YoungPerson.objects.filter(date_of_birth=date_of_birth, merged_into__isnull=True).values_list(
                "pk", flat=True
            )
        )
    if exclude_pk is not None:
        ids.discard(exclude_pk)
    if not ids:
        return []
    authority = names.normalise(home_local_authority)
    candidates = []
    for person in _load(ids):
        reasons = []
        score = 0.0
        name_part = max((_best_name(text, person) for text in typed_names), default=(0.0, ""))
        if name_part[0] >= settings.SEARCH_MIN_SCORE:
            score += name_part[0]
            reasons.append(f"Alias matches ({name_part[1]})" if name_part[1] else "Similar name")
        if date_of_birth and person.date_of_birth == date_of_birth:
            score += 0.6
            reasons.append("Same date of birth")
        if authority and reasons and names.normalise(person.home_local_authority) == authority:
            score += 0.2
            reasons.append("Same home local authority")
        if score >= settings.DUPLICATE_MIN_SCORE and reasons:
            candidates.append(DuplicateCandidate(person=person, score=score, reasons=reasons))
    visible = set(people_visible_to(user).filter(pk__in=[c.person.pk for c in candidates]).values_list("pk", flat=True))
    for candidate in candidates:
        candidate.in_scope = candidate.person.pk in visible
        if not candidate.in_scope:
            candidate.contacts = person_contacts(candidate.person)
            candidate.reasons = [r.split(" (")[0] for r in candidate.reasons]
    candidates.sort(key=lambda c: -c.score)
    return candidates[:10]
