"""Offence markers in screening: the shipped data admins edit, codes before wording."""

from __future__ import annotations

import pytest

from custody.models import ControlledDrug, OffenceCode, ScreeningOffence
from custody.review import row_values, screening
from tests.factories.custody import adult_row, born_aged, person_row

pytestmark = pytest.mark.django_db


def screen_one(**overrides) -> screening.Screening:
    row = person_row(**overrides)
    (result,) = screening.screen([row_values.parse_row(2, row, row)])
    return result


def test_the_issue_example_supply_by_a_child_from_away_ranks_above_a_knife():
    supply = screen_one(
        offences="Possession with intent to supply crack cocaine",
        home_force_or_local_authority="Metropolitan Police",
    )
    knife = screen_one(offences="Possession of a bladed article", home_force_or_local_authority="Westshire")
    assert "PWITS Class A" in supply.reasons
    assert supply.score > knife.score


def test_concerned_in_the_supply_of_heroin_flags_a_young_adult():
    row = adult_row(date_of_birth=born_aged(20).strftime("%d/%m/%Y"), offences="Concerned in the supply of heroin")
    (result,) = screening.screen([row_values.parse_row(2, row, row)])
    assert result.flagged
    assert "Supplying Class A" in result.reasons


def test_the_shipped_drug_list_states_its_source_and_an_admin_may_change_a_class():
    cocaine = ControlledDrug.objects.get(name="Cocaine")
    assert cocaine.drug_class == "A" and "Misuse of Drugs Act 1971" in cocaine.source
    assert "PWITS Class A" in screen_one(offences="PWITS coke").reasons
    ControlledDrug.objects.filter(name="Cocaine").update(drug_class="B")
    assert "PWITS Class B" in screen_one(offences="PWITS coke").reasons


def test_an_admin_may_add_a_drug_name():
    assert "Supplying Class A" not in screen_one(offences="Supply of zoomers").reasons
    ControlledDrug.objects.create(name="Zoomers", drug_class="A", source="Local street name")
    assert "Supplying Class A" in screen_one(offences="Supply of zoomers").reasons


def test_a_marker_an_admin_switches_off_is_not_given_and_its_points_are_the_admins():
    ScreeningOffence.objects.filter(label="Robbery").update(is_active=False)
    assert "Robbery" not in screen_one(offences="Robbery").reasons
    ScreeningOffence.objects.filter(label="Robbery").update(is_active=True, weight=33)
    with_robbery = screen_one(offences="Robbery", home_force_or_local_authority="Westshire")
    without = screen_one(offences="Shoplifting", home_force_or_local_authority="Westshire")
    assert with_robbery.score - without.score == 33


def test_an_offence_code_takes_precedence_over_the_wording():
    row = person_row(offences="Possession of cocaine", home_force_or_local_authority="Westshire")
    row_raw = {**row, "Offence code": "92A"}
    (result,) = screening.screen([row_values.parse_row(2, row, row_raw)])
    assert "Supplying Class A" in result.reasons  # the code says supply, the wording the class
    assert "Possession of Class A" not in result.reasons


def test_an_admin_may_add_an_offence_code_prefix():
    OffenceCode.objects.create(code="XX99*", marker="Robbery")
    row = person_row(offences="Something else")
    (result,) = screening.screen([row_values.parse_row(2, row, {**row, "CJS offence code": "XX99001"})])
    assert "Robbery" in result.reasons


def test_a_place_of_arrest_at_a_station_is_a_marker():
    row = person_row(offences="Shoplifting")
    (result,) = screening.screen([row_values.parse_row(2, row, {**row, "Location of arrest": "Euston station"})])
    assert "On a train or at a station" in result.reasons
