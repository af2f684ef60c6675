"""Screening: a score and the reasons behind it, one marker at a time."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from cases.models import Associate
from custody.models import ScreeningOffence
from custody.review import areas, row_values, screening
from tests.dates import years_before
from tests.factories.cases import AliasFactory, CaseFactory, MissingEpisodeFactory, YoungPersonFactory
from tests.factories.custody import adult_row, arrest_time, born_aged, person_row, uk

pytestmark = pytest.mark.django_db


def parsed(**overrides) -> row_values.ParsedRow:
    row = person_row(**overrides)
    return row_values.parse_row(2, row, row)


def parsed_adult(**overrides) -> row_values.ParsedRow:
    row = adult_row(**overrides)
    return row_values.parse_row(2, row, row)


def screen_one(row: row_values.ParsedRow) -> screening.Screening:
    (result,) = screening.screen([row])
    return result


# ---------------------------------------------------------------------------
# Age
# ---------------------------------------------------------------------------


def test_under_18_at_arrest_is_always_flagged():
    result = screen_one(
        parsed(
            home_force_or_local_authority="Westshire", offences="Shoplifting", date_of_birth=born_aged(16).isoformat()
        )
    )
    assert result.flagged
    assert result.reasons == ["16 (juvenile under PACE)"]
    assert result.score == screening.POINTS["juvenile"]


def test_age_is_taken_at_the_arrest_not_today():
    arrested = arrest_time(days_ago=400)
    born = years_before(arrested.date(), 18) + timedelta(days=10)  # 17 then, 18 now
    result = screen_one(parsed_adult(arrest_datetime=uk(arrested), date_of_birth=born.strftime("%d/%m/%Y")))
    assert result.flagged and result.reasons[0] == "17 (juvenile under PACE)"


def test_18_to_24_alone_is_not_flagged():
    result = screen_one(parsed_adult(date_of_birth=born_aged(19).strftime("%d/%m/%Y")))
    assert not result.flagged
    assert result.reasons == ["19"]


def test_18_to_24_with_another_marker_is_flagged():
    result = screen_one(
        parsed_adult(date_of_birth=born_aged(22).strftime("%d/%m/%Y"), home_force_or_local_authority="Leeds")
    )
    assert result.flagged
    assert result.reasons == ["22", "Home local authority Leeds (West Yorkshire Police)"]


def test_25_and_over_with_markers_is_not_flagged():
    result = screen_one(parsed_adult(offences="PWITS Class A", home_force_or_local_authority="Kent Police"))
    assert not result.flagged
    assert "PWITS Class A" in result.reasons and "Home force Kent Police" in result.reasons


def test_an_unreadable_date_of_birth_is_flagged_to_check_manually():
    result = screen_one(parsed_adult(date_of_birth="unknown"))
    assert result.flagged and result.check_manually
    assert "Date of birth could not be read: check manually" in result.reasons


# ---------------------------------------------------------------------------
# Offences (data an admin edits)
# ---------------------------------------------------------------------------


def test_offences_that_indicate_county_lines_are_reasons():
    result = screen_one(
        parsed(offences="Possession with intent to supply Class A (crack); possession of a bladed article")
    )
    assert "PWITS Class A" in result.reasons
    assert "Knife or offensive weapon" in result.reasons


def test_an_offence_an_admin_adds_is_used_and_an_inactive_one_is_not():
    ScreeningOffence.objects.create(label="Cuckooing", phrases="cuckooing\ntaking over a home", weight=35)
    ScreeningOffence.objects.filter(label="Knife or offensive weapon").update(is_active=False)
    result = screen_one(
        parsed_adult(date_of_birth=born_aged(21).strftime("%d/%m/%Y"), offences="Cuckooing; bladed article")
    )
    assert result.flagged
    assert "Cuckooing" in result.reasons
    assert "Knife or offensive weapon" not in result.reasons


# ---------------------------------------------------------------------------
# Home area
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("North Yorkshire Police", "Home force North Yorkshire Police"),
        ("Metropolitan Police", "Home force Metropolitan Police Service"),
        ("GMP", "Home force Greater Manchester Police"),
        ("Leeds City Council", "Home local authority Leeds (West Yorkshire Police)"),
        ("London Borough of Lambeth", "Home local authority Lambeth (Metropolitan Police Service)"),
        ("Kent County Council", "Home force Kent Police"),
        ("Glasgow", "Home local authority Glasgow City (Police Scotland)"),
    ],
)
def test_a_home_force_or_local_authority_outside_the_force_area_is_a_marker(cell, reason):
    result = screen_one(parsed(home_force_or_local_authority=cell))
    assert reason in result.reasons
    assert result.score >= screening.POINTS["out_of_area"]


@override_settings(FORCE_NAME="West Yorkshire Police", CUSTODY_HOME_AREAS=[])
def test_the_force_and_its_own_local_authorities_are_not_out_of_area():
    for cell in ("West Yorkshire Police", "Leeds", "Bradford Metropolitan District Council", "Wakefield Council"):
        assert areas.area_reason(cell) == ("", False), cell


def test_an_unknown_home_area_is_noted_but_not_scored():
    result = screen_one(parsed_adult(home_force_or_local_authority="Atlantis"))
    assert result.reasons == ["Home area not recognised: \u201cAtlantis\u201d"]
    assert result.score == 0


def test_every_name_in_the_area_lists_points_at_one_force():
    """A name on both lists (Kent, North Yorkshire ...) must lead to the same force."""
    force_names = {a.name for a in areas.areas().values() if a.kind == "force"}
    assert len(force_names) == 46
    local_authorities = areas._rows("uk_local_authorities.csv")
    assert len(local_authorities) == 218
    for row in local_authorities:
        assert row["police_force"] in force_names, row
        for name in [row["name"], *filter(None, row["other_names"].split("|"))]:
            assert areas.areas()[areas.area_key(name)].force == row["police_force"], name


# ---------------------------------------------------------------------------
# Known people, associates, missing episodes
# ---------------------------------------------------------------------------


def known(given: str, family: str, born: date, **kwargs):
    return YoungPersonFactory(given_name=given, family_name=family, date_of_birth=born, **kwargs)


def test_a_known_young_person_matches_on_name_and_date_of_birth():
    born = born_aged(16)
    person = known("Jaylen", "Testwood", born)
    result = screen_one(parsed(date_of_birth=born.isoformat()))
    assert result.matched_person_id == person.pk
    assert "Matches a known young person (name and date of birth)" in result.reasons


def test_a_misspelt_name_with_the_same_date_of_birth_matches():
    born = born_aged(16)
    person = known("Jaylen", "Testwood", born)
    assert screen_one(parsed(surname="Testwod", date_of_birth=born.isoformat())).matched_person_id == person.pk


def test_a_name_variant_with_the_same_date_of_birth_matches():
    born = born_aged(15)
    person = known("Daniel", "Examplar", born)
    result = screen_one(parsed(forenames="Danny", surname="Examplar", date_of_birth=born.isoformat()))
    assert result.matched_person_id == person.pk


def test_an_alias_with_the_same_date_of_birth_matches():
    born = born_aged(17)
    person = known("Marcus", "Otherly", born)
    AliasFactory(person=person, name="Jaylen Testwood")
    result = screen_one(parsed(date_of_birth=born.isoformat()))
    assert result.matched_person_id == person.pk
    assert "Matches a known young person (alias and date of birth)" in result.reasons


def test_the_same_name_with_another_date_of_birth_is_a_weaker_reason():
    person = known("Alan", "Grownup", date(2009, 1, 1))
    result = screen_one(parsed_adult(date_of_birth=born_aged(19).strftime("%d/%m/%Y")))
    assert result.matched_person_id == person.pk
    assert "Same name as a known young person (date of birth differs or unknown)" in result.reasons
    assert result.flagged  # 19 with a marker


def test_a_different_person_born_the_same_day_does_not_match():
    born = born_aged(16)
    known("Priya", "Unrelated", born)
    assert screen_one(parsed(date_of_birth=born.isoformat())).matched_person_id is None


def test_a_merged_record_is_not_matched():
    born = born_aged(16)
    survivor = known("Jay", "Testwood", born + timedelta(days=1))
    known("Jaylen", "Testwood", born, merged_into=survivor, merged_at=timezone.now())
    assert screen_one(parsed(date_of_birth=born.isoformat())).matched_person_id is None


def test_an_associate_on_a_case_matches(personas):
    born = born_aged(23)
    case = CaseFactory(owner=personas.officer_a)
    Associate.objects.create(
        case=case,
        name="Reece Examplar",
        relationship="suspected_exploiter",
        date_of_birth=born,
        created_by=personas.officer_a,
    )
    result = screen_one(parsed_adult(forenames="Reece", surname="Examplar", date_of_birth=born.strftime("%d/%m/%Y")))
    assert "Matches an associate recorded on a case" in result.reasons
    assert result.flagged


def associate(personas, name: str, born: date) -> Associate:
    return Associate.objects.create(
        case=CaseFactory(owner=personas.officer_a),
        name=name,
        relationship="suspected_exploiter",
        date_of_birth=born,
        created_by=personas.officer_a,
    )


def test_a_misspelt_associate_with_the_same_date_of_birth_matches(personas):
    born = born_aged(23)
    found = associate(personas, "Reece Examplar", born)
    row = parsed_adult(forenames="Reese", surname="Exampler", date_of_birth=born.strftime("%d/%m/%Y"))
    assert screening.match_associates([row]) == {0: found.case_id}
    assert "Matches an associate recorded on a case" in screen_one(row).reasons


def test_a_slip_in_both_words_of_a_short_associate_name_still_passes_the_prefilter(personas):
    born = born_aged(30)
    found = associate(personas, "John Hill", born)
    row = parsed_adult(forenames="Jhon", surname="iHll", date_of_birth=born.strftime("%d/%m/%Y"))
    assert screening.match_associates([row]) == {0: found.case_id}


def test_an_associate_known_by_a_name_variant_matches(personas):
    born = born_aged(31)
    found = associate(personas, "Margaret Brown", born)
    row = parsed_adult(forenames="Peggy", surname="Brown", date_of_birth=born.strftime("%d/%m/%Y"))
    assert screening.associate_candidates([row]) == {0: [(found.case_id, "Margaret Brown")]}
    assert screening.match_associates([row]) == {0: found.case_id}


def test_an_unrelated_associate_born_the_same_day_is_not_scored_or_flagged(personas, monkeypatch):
    born = born_aged(23)
    associate(personas, "Priya Unrelated", born)
    row = parsed_adult(forenames="Reece", surname="Examplar", date_of_birth=born.strftime("%d/%m/%Y"))
    # The name prefilter (in the database on PostgreSQL) leaves nothing to score by name.
    assert screening.associate_candidates([row]) == {}
    scored = []
    monkeypatch.setattr(screening.names, "name_score", lambda *args, **kw: scored.append(args) or 1.0)
    assert screening.match_associates([row]) == {}
    assert scored == []
    monkeypatch.undo()
    assert "Matches an associate recorded on a case" not in screen_one(row).reasons


def test_an_associate_with_the_same_name_but_another_date_of_birth_does_not_match(personas):
    associate(personas, "Reece Examplar", born_aged(23))
    row = parsed_adult(forenames="Reece", surname="Examplar", date_of_birth=born_aged(40).strftime("%d/%m/%Y"))
    assert screening.match_associates([row]) == {}


def test_previous_missing_episodes_of_the_matched_person_are_a_reason(personas):
    born = born_aged(16)
    person = known("Jaylen", "Testwood", born)
    case = CaseFactory(owner=personas.officer_a, person=person)
    MissingEpisodeFactory(case=case)
    MissingEpisodeFactory(case=case)
    result = screen_one(parsed(date_of_birth=born.isoformat()))
    assert "2 previous missing episodes" in result.reasons


def test_the_reasons_read_like_the_issue_example(personas):
    born = born_aged(16)
    person = known("Jaylen", "Testwood", born)
    MissingEpisodeFactory(case=CaseFactory(owner=personas.officer_a, person=person))
    result = screen_one(parsed(date_of_birth=born.isoformat()))
    assert result.reasons == [
        "16 (juvenile under PACE)",
        "Home force North Yorkshire Police",
        "PWITS Class A",
        "County Lines runner profile: under 25, out of area, drug supply",
        "Matches a known young person (name and date of birth)",
        "1 previous missing episode",
    ]
    assert result.points == [100, 20, 40, 250, 40, 10]
    assert sum(result.points) == result.score
    assert result.score == 100 + 20 + 40 + 250 + 40 + 10


def test_screening_a_chunk_costs_the_same_few_queries_however_many_rows(django_assert_max_num_queries):
    for i in range(30):
        known(f"Person{i}", "Testwood", born_aged(16) - timedelta(days=i))
    rows = [
        parsed(custody_number=f"A{i}", date_of_birth=(born_aged(16) - timedelta(days=i)).isoformat())
        for i in range(200)
    ]
    rules = screening.offence_rules()
    with django_assert_max_num_queries(6):
        results = screening.screen(rows, rules=rules)
    assert len(results) == 200


def test_associate_matching_by_date_of_birth_is_indexed(personas):
    """match_associates asks WHERE date_of_birth IN (…) once per chunk: cases_associate
    has an index for it (associate_dob_idx), used by PostgreSQL when it is selective."""
    from django.db import connection

    indexes = connection.introspection.get_constraints(connection.cursor(), Associate._meta.db_table)
    assert indexes["associate_dob_idx"]["columns"] == ["date_of_birth"]
    if connection.vendor != "postgresql":
        return
    query = Associate.objects.filter(date_of_birth__in=[born_aged(20), born_aged(30)]).values_list(
        "case_id", "date_of_birth", "name"
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()
    assert "associate_dob_idx" in plan


def test_the_runner_profile_outranks_simple_possession_by_anyone():
    """Issue 23: the least a County Lines runner row (18-24, out of area, the lightest supply
    marker) can score is above the most a simple possession row can (a juvenile, every
    reason about the person, possession of Class A at a station)."""
    from custody.review import offences
    from custody.review.screening import POINTS, SUPPLY_MARKERS

    most_possession = (
        POINTS["juvenile"]
        + POINTS["check_manually"]
        + POINTS["out_of_area"]
        + POINTS["known_person"]
        + POINTS["associate"]
        + POINTS["missing_episode_max"]
        + offences.MARKERS["Possession of Class A"]
        + offences.MARKERS["On a train or at a station"]
    )
    lightest_supply = min(offences.MARKERS[label] for label in SUPPLY_MARKERS)
    least_runner = POINTS["young_adult"] + POINTS["out_of_area"] + lightest_supply + POINTS["runner_profile"]
    assert least_runner > most_possession
