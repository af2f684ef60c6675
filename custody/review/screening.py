"""Screening a custody row: a score and the reasons behind it.

Markers, and the points each adds:

* under 18 at arrest: a juvenile under PACE Code C, always flagged;
* no readable date of birth: flagged to "check manually" (never dropped);
* 18 to 24: flagged only when another marker is present;
* an offence that indicates exploitation, recognised by meaning (offences.py) with the
  drug classes and offence codes admins keep, plus any phrases they add;
* a home force or local authority outside the force area, from the shipped lists
  of UK police forces and local authorities (custody/data/, no postcode service);
* a match to a known young person (name similarity, name variants, date of birth,
  aliases) or to an associate recorded on a case;
* previous missing episodes of the matched young person.

Rows are screened a chunk at a time: each marker costs a few queries per chunk,
and every query is served by an index (date of birth, the pg_trgm indexes on the
normalised names and aliases), so the cost of a row does not grow with the number
of known people (see bench/custody_import.py).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Count

from cases import names
from cases.models import Alias, Associate, MissingEpisode, YoungPerson, age_on
from safeguarding.core.uktime import UK

from ..models import ControlledDrug, OffenceCode, ScreeningOffence
from . import offence_data, offences
from .areas import area_reason
from .row_values import ParsedRow

ADULT_AGE = 18  # PACE Code C: anyone who appears under 18 is a juvenile.
YOUNG_ADULT_MAX_AGE = 24  # 18-24 are flagged when another marker is present.

# Points per marker: the queue is sorted by the sum.
POINTS = {
    "juvenile": 100,
    "young_adult": 10,
    "check_manually": 50,
    "out_of_area": 20,
    "known_person": 40,
    "known_person_name_only": 15,
    "associate": 25,
    "missing_episode": 10,
    "missing_episode_max": 30,
    # Under 25, out of area, drug supply: above simple possession by anyone. The most a
    # possession row can score is juvenile 100 + check manually 50 + out of area 20 + known
    # person 40 + associate 25 + missing 30 + possession 15 + at a station 10 = 290; the least a
    # runner scores is 18-24 10 + out of area 20 + Class C supply 15 + this 250 = 295.
    "runner_profile": 250,
}
RUNNER_PROFILE = "County Lines runner profile: under 25, out of area, drug supply"
SUPPLY_MARKERS = frozenset(
    label for label in offences.MARKERS if label.startswith(("PWITS", "Supplying")) or label.startswith("Drug supply")
)
# How close a name must be (cases.names.name_score, 0..1) to count as a match.
NAME_MATCH_MIN = 0.5


@dataclass
class Screening:
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    # The points each reason added, in the order of ``reasons``: they sum to ``score``.
    points: list[int] = field(default_factory=list)
    flagged: bool = False
    check_manually: bool = False
    matched_person_id: int | None = None
    # How many markers (other than age and "check manually") the row has.
    markers: int = 0

    def add(self, reason: str, points: int, *, marker: bool = False) -> None:
        self.reasons.append(reason)
        self.points.append(points)
        self.score += points
        self.markers += int(marker)


# ---------------------------------------------------------------------------
# Offences
# ---------------------------------------------------------------------------


def offence_key(text: str) -> str:
    return " " + " ".join(re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).split()) + " "


@dataclass(frozen=True)
class OffenceRule:
    label: str
    weight: int
    phrases: tuple[str, ...]


@dataclass
class OffenceScreen:
    """What a chunk's offences are screened with: the admin's phrase rules, the points of
    each marker, the markers switched off, and the drug and offence-code data."""

    rules: list[OffenceRule]
    weights: dict[str, int]
    switched_off: set[str]
    knowledge: offences.Knowledge

    def markers(self, row: ParsedRow) -> list[tuple[str, int]]:
        """(label, points) of each offence marker of the row, in the order found."""
        labels = offences.recognise(
            row.offences,
            self.knowledge,
            codes=row.offence_codes or _raw_cell(row.raw, _CODE_HEADING),
            place=row.arrest_location or _raw_cell(row.raw, _PLACE_HEADING),
        )
        labels += [rule.label for rule in offence_matches(row.offences, self.rules) if rule.label not in labels]
        return [
            (label, self.weights.get(label, offences.MARKERS.get(label, 0)))
            for label in labels
            if label not in self.switched_off
        ]


# A column of offence codes ("Offence code", "CJS code", "HO code") and one of the place of
# arrest ("Location of arrest", "Arrest location"), read from the row as the file has it.
_CODE_HEADING = re.compile(r"\b(offen[cs]e\s*codes?|cjs\s*(offen[cs]e\s*)?codes?|ho\s*codes?|home office codes?)\b")
_PLACE_HEADING = re.compile(r"\b(location|place)\b.*\barrest|\barrest\w*\s*(location|place)\b")


def _raw_cell(raw: dict[str, str], heading: re.Pattern) -> str:
    return " ".join(value for name, value in raw.items() if heading.search(name.lower()))


def _ensure_shipped_data() -> None:
    """A flushed test database has lost what the migrations load: put it back."""
    if not ScreeningOffence.objects.exists():
        from .offence_defaults import DEFAULTS

        for label, weight, phrases in DEFAULTS:
            ScreeningOffence.objects.get_or_create(
                label=label, defaults={"weight": weight, "phrases": "\n".join(phrases)}
            )
    if not ControlledDrug.objects.exists():
        offence_data.load(ControlledDrug, OffenceCode)


def offence_rules() -> OffenceScreen:
    _ensure_shipped_data()
    rows = list(ScreeningOffence.objects.order_by("-weight", "label"))
    drugs: dict[str, str] = {}
    for drug in ControlledDrug.objects.filter(is_active=True):
        for name in drug.names():
            drugs.setdefault(offences.normalise(name), drug.drug_class)
    codes = {c.code.strip().upper(): c.marker for c in OffenceCode.objects.filter(is_active=True)}
    return OffenceScreen(
        rules=[
            OffenceRule(
                label=o.label,
                weight=o.weight,
                phrases=tuple(sorted((offence_key(p) for p in o.phrase_list()), key=len, reverse=True)),
            )
            for o in rows
            if o.is_active and o.phrase_list()
        ],
        weights={o.label: o.weight for o in rows if o.is_active},
        switched_off={o.label for o in rows if not o.is_active},
        knowledge=offences.Knowledge(drugs=drugs, codes=codes),
    )


def offence_matches(text: str, rules: Sequence[OffenceRule]) -> list[OffenceRule]:
    """The rules the offences text matches, heaviest first. Words a rule matched are used up,
    so "intent to supply a controlled drug of Class A" counts as PWITS, not also as supplying."""
    haystack = offence_key(text)
    matched = []
    for rule in rules:
        hit = False
        for phrase in rule.phrases:
            if phrase.strip() and phrase in haystack:
                hit = True
                haystack = haystack.replace(phrase, " | ")
        if hit:
            matched.append(rule)
    return matched


# ---------------------------------------------------------------------------
# Known people
# ---------------------------------------------------------------------------


@dataclass
class _Query:
    index: int
    full: str  # normalised "forenames surname"
    family: str
    dob: date | None


@dataclass
class PersonMatch:
    person_id: int
    strength: str  # "name and date of birth", "alias and date of birth", "name"
    score: float


def _candidates_by_dob(queries: list[_Query]) -> dict[int, list[tuple]]:
    """Index of query -> [(person id, full_name_norm, family_name_norm)] of people born the
    same day whose name is close (filtered in the database on PostgreSQL)."""
    with_dob = [q for q in queries if q.dob and (q.full or q.family)]
    if not with_dob:
        return {}
    result: dict[int, list[tuple]] = defaultdict(list)
    if connection.vendor == "postgresql":
        values = ", ".join(["(%s, %s::date, %s, %s)"] * len(with_dob))
        params: list = []
        for q in with_dob:
            params += [q.index, q.dob, q.full, q.family]
        # One statement per chunk; the join runs on youngperson_dob_idx (a handful of
        # people share a birthday) and the names are compared in the database.
        sql = f"""
            SELECT v.i, p.id, p.full_name_norm, p.family_name_norm
            FROM (VALUES {values}) AS v(i, dob, fullname, family)
            JOIN cases_youngperson p ON p.date_of_birth = v.dob
            WHERE p.merged_into_id IS NULL
              AND (p.family_name_norm = v.family
                   OR similarity(p.full_name_norm, v.fullname) >= 0.3
                   OR similarity(p.family_name_norm, v.family) >= 0.4)
        """  # noqa: S608 - only placeholders are interpolated
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for i, pk, full, family in cursor.fetchall():
                result[i].append((pk, full, family))
        return result
    by_dob: dict[date | None, list[_Query]] = defaultdict(list)
    for q in with_dob:
        by_dob[q.dob].append(q)
    for pk, dob, full, family in YoungPerson.objects.filter(
        date_of_birth__in=list(by_dob), merged_into__isnull=True
    ).values_list("pk", "date_of_birth", "full_name_norm", "family_name_norm"):
        for q in by_dob[dob]:
            result[q.index].append((pk, full, family))
    return result


def _aliases_by_dob(queries: list[_Query]) -> dict[int, list[tuple]]:
    """Index of query -> [(person id, alias name_norm)] of people born the same day."""
    with_dob = [q for q in queries if q.dob and q.full]
    if not with_dob:
        return {}
    by_dob: dict[date | None, list[_Query]] = defaultdict(list)
    for q in with_dob:
        by_dob[q.dob].append(q)
    result: dict[int, list[tuple]] = defaultdict(list)
    for pk, dob, alias in Alias.objects.filter(
        person__date_of_birth__in=list(by_dob), person__merged_into__isnull=True
    ).values_list("person_id", "person__date_of_birth", "name_norm"):
        for q in by_dob[dob]:
            result[q.index].append((pk, alias))
    return result


def _same_name(queries: list[_Query]) -> dict[str, list[int]]:
    """Normalised full name -> ids of people whose name or alias is exactly that (any date of
    birth): the equality is served by the pg_trgm GIN indexes on PostgreSQL 14+."""
    fulls = sorted({q.full for q in queries if q.full and " " in q.full})
    if not fulls:
        return {}
    result: dict[str, list[int]] = defaultdict(list)
    for pk, full in YoungPerson.objects.filter(full_name_norm__in=fulls, merged_into__isnull=True).values_list(
        "pk", "full_name_norm"
    ):
        result[full].append(pk)
    for pk, alias in Alias.objects.filter(name_norm__in=fulls, person__merged_into__isnull=True).values_list(
        "person_id", "name_norm"
    ):
        if pk not in result[alias]:
            result[alias].append(pk)
    return result


def match_people(rows: Sequence[ParsedRow]) -> dict[int, PersonMatch]:
    """Index of row in `rows` -> the best known young person it matches."""
    queries = []
    for index, row in enumerate(rows):
        full = names.normalise(f"{row.forenames} {row.surname}")
        queries.append(_Query(index=index, full=full, family=names.normalise(row.surname), dob=row.date_of_birth))
    by_dob = _candidates_by_dob(queries)
    aliases = _aliases_by_dob(queries)
    same_name = _same_name(queries)
    matches: dict[int, PersonMatch] = {}
    for q in queries:
        best: PersonMatch | None = None
        for pk, full, _family in by_dob.get(q.index, []):
            score = names.name_score(q.full, full)
            if score >= NAME_MATCH_MIN and (best is None or score > best.score):
                best = PersonMatch(person_id=pk, strength="name and date of birth", score=score)
        for pk, alias in aliases.get(q.index, []):
            score = names.name_score(q.full, alias)
            if score >= NAME_MATCH_MIN and (best is None or score > best.score):
                best = PersonMatch(person_id=pk, strength="alias and date of birth", score=score)
        if best is None and same_name.get(q.full):
            best = PersonMatch(person_id=same_name[q.full][0], strength="name", score=1.0)
        if best is not None:
            matches[q.index] = best
    return matches


# The name prefilter for associates: a row's name and an associate's are scored in Python
# (names.name_score) only when they are at least this similar as strings (pg_trgm
# similarity) or share a word or a variant of one ("Peggy Brown" / "Margaret Brown").
# Generous on purpose: a slip in both words of a short name ("Jhon iHll" / "John Hill",
# which name_score matches) is still about 0.15, while about 4 in 100 unrelated names pass.
ASSOCIATE_PREFILTER_SIMILARITY = 0.1


def _query_words(full: str) -> list[str]:
    """Every word of the normalised name and every variant of each, for the prefilter."""
    return sorted({v for word in full.split() for v in names.variants(word)})


def associate_candidates(rows: Sequence[ParsedRow]) -> dict[int, list[tuple[int, str]]]:
    """Index of row -> [(case id, associate name)] of the associates born the same day whose
    name is close to the row's (the prefilter), in Associate's default order. One statement
    per chunk; on PostgreSQL the names are compared in the database, on the SQLite fallback
    the same test runs in Python."""
    queries = _associate_queries(rows)
    if not queries:
        return {}
    if connection.vendor == "postgresql":
        return _associates_in_postgresql(queries)
    return _associates_in_python(queries)


_AssociateQuery = tuple[int, date, str, list[str]]


def _associate_queries(rows: Sequence[ParsedRow]) -> list[_AssociateQuery]:
    """(row index, date of birth, normalised full name, its words) of each row with both."""
    queries = []
    for index, row in enumerate(rows):
        full = names.normalise(f"{row.forenames} {row.surname}")
        if row.date_of_birth and full:
            queries.append((index, row.date_of_birth, full, _query_words(full)))
    return queries


def _associates_in_postgresql(queries: list[_AssociateQuery]) -> dict[int, list[tuple[int, str]]]:
    result: dict[int, list[tuple[int, str]]] = defaultdict(list)
    values = ", ".join(["(%s, %s::date, %s, %s::text[])"] * len(queries))
    params: list = []
    for query in queries:
        params += list(query)
    params.append(ASSOCIATE_PREFILTER_SIMILARITY)
    # The join runs on associate_dob_idx (a handful of associates share a birthday) and
    # only those few rows are compared by name.
    sql = f"""
        WITH v(i, dob, fullname, words) AS (VALUES {values})
        SELECT v.i, a.case_id, a.name
        FROM v
        JOIN cases_associate a ON a.date_of_birth = v.dob
        WHERE similarity(a.name_norm, v.fullname) >= %s
           OR string_to_array(a.name_norm, ' ') && v.words
        ORDER BY a.relationship, a.name, a.id
    """  # noqa: S608 - only placeholders are interpolated
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for i, case_id, name in cursor.fetchall():
            result[i].append((case_id, name))
    return result


def _associates_in_python(queries: list[_AssociateQuery]) -> dict[int, list[tuple[int, str]]]:
    """The same test as the PostgreSQL statement, for the SQLite fallback."""
    result: dict[int, list[tuple[int, str]]] = defaultdict(list)
    by_dob: dict[date | None, list[_AssociateQuery]] = defaultdict(list)
    for query in queries:
        by_dob[query[1]].append(query)
    for case_id, dob, name, name_norm in Associate.objects.filter(date_of_birth__in=list(by_dob)).values_list(
        "case_id", "date_of_birth", "name", "name_norm"
    ):
        for index, _dob, full, words in by_dob[dob]:
            if names.similarity(name_norm, full) >= ASSOCIATE_PREFILTER_SIMILARITY or set(name_norm.split()) & set(
                words
            ):
                result[index].append((case_id, name))
    return result


def match_associates(rows: Sequence[ParsedRow]) -> dict[int, int]:
    """Index of row -> id of the case on which a matching associate (name and date of birth) is recorded."""
    found: dict[int, int] = {}
    for index, candidates in associate_candidates(rows).items():
        row = rows[index]
        for case_id, name in candidates:
            if names.name_score(f"{row.forenames} {row.surname}", name) >= NAME_MATCH_MIN:
                found[index] = case_id
                break
    return found


def missing_counts(person_ids: set[int]) -> dict[int, int]:
    if not person_ids:
        return {}
    return dict(
        MissingEpisode.objects.filter(case__person_id__in=person_ids)
        .values("case__person_id")
        .annotate(n=Count("pk"))
        .values_list("case__person_id", "n")
    )


# ---------------------------------------------------------------------------
# Screening
# ---------------------------------------------------------------------------


def screen(rows: Sequence[ParsedRow], *, rules: OffenceScreen | None = None) -> list[Screening]:
    """Screen a chunk of parsed rows; one Screening per row, in order."""
    if rules is None:
        rules = offence_rules()
    people = match_people(rows)
    associates = match_associates(rows)
    missing = missing_counts({m.person_id for m in people.values()})
    results = []
    for index, row in enumerate(rows):
        result = Screening()
        age = _score_age(row, result)
        _score_checks(row, result)
        out_of_area = _score_area(row, result)
        labels = _score_offences(row, rules, result)
        _score_runner_profile(age, out_of_area, labels, result)
        match = people.get(index)
        _score_match(match, missing, result)
        if index in associates:
            result.add("Matches an associate recorded on a case", POINTS["associate"], marker=True)
        known_strongly = bool(match and match.strength != "name")
        result.flagged = (
            (age is not None and age < ADULT_AGE)
            or result.check_manually
            or known_strongly
            or (age is not None and age <= YOUNG_ADULT_MAX_AGE and result.markers > 0)
        )
        results.append(result)
    return results


def _score_age(row: ParsedRow, result: Screening) -> int | None:
    """The row's age at arrest (or today, with no arrest time), scored as a juvenile or 18-24."""
    if not row.date_of_birth:
        return None
    if row.arrested_at:
        age = age_on(row.date_of_birth, row.arrested_at.astimezone(UK).date())
        if age < ADULT_AGE:
            result.add(f"{age} (juvenile under PACE)", POINTS["juvenile"])
        elif age <= YOUNG_ADULT_MAX_AGE:
            result.add(f"{age}", POINTS["young_adult"])
        return age
    # Born on record but no arrest time to age them at: age them today.
    from django.utils import timezone

    today_age = age_on(row.date_of_birth, timezone.localdate())
    if today_age > YOUNG_ADULT_MAX_AGE:
        return None
    points = POINTS["young_adult"] if today_age >= ADULT_AGE else POINTS["juvenile"]
    result.add(f"About {today_age} (age today)", points)
    return today_age


def _score_checks(row: ParsedRow, result: Screening) -> None:
    if not row.checks:
        return
    result.check_manually = True
    if row.date_of_birth is None:
        result.add("Date of birth could not be read: check manually", POINTS["check_manually"])
    else:
        result.add("Check manually", POINTS["check_manually"])


def _score_area(row: ParsedRow, result: Screening) -> bool:
    reason, out_of_area = area_reason(row.home_area)
    if reason:
        result.add(reason, POINTS["out_of_area"] if out_of_area else 0, marker=out_of_area)
    return out_of_area


def _score_offences(row: ParsedRow, rules: OffenceScreen, result: Screening) -> list[str]:
    labels = []
    for label, points in rules.markers(row):
        result.add(label, points, marker=True)
        labels.append(label)
    return labels


def _score_runner_profile(age: int | None, out_of_area: bool, labels: list[str], result: Screening) -> None:
    """Under 25, living out of the area and held for drug supply: the County Lines runner.
    The profile outranks simple possession by anyone, however young."""
    if age is None or age > YOUNG_ADULT_MAX_AGE or not out_of_area:
        return
    if any(label in SUPPLY_MARKERS for label in labels):
        result.add(RUNNER_PROFILE, POINTS["runner_profile"], marker=True)


def _score_match(match: PersonMatch | None, missing: dict[int, int], result: Screening) -> None:
    if not match:
        return
    result.matched_person_id = match.person_id
    if match.strength == "name":
        result.add(
            "Same name as a known young person (date of birth differs or unknown)",
            POINTS["known_person_name_only"],
            marker=True,
        )
    else:
        result.add(f"Matches a known young person ({match.strength})", POINTS["known_person"], marker=True)
    episodes = missing.get(match.person_id, 0)
    if episodes:
        result.add(
            f"{episodes} previous missing episode{'s' if episodes != 1 else ''}",
            min(POINTS["missing_episode"] * episodes, POINTS["missing_episode_max"]),
        )
