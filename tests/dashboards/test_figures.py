"""Every dashboard figure against a brute-force computation over the same small data set,
for the supervisor (their team only, even with a break-glass grant elsewhere) and the
force lead (everything); months in Europe/London across the spring clock change; and
every record behind a figure is one the viewer may open."""

from __future__ import annotations

import pytest
import time_machine

from cases.selectors import cases_visible_to
from referrals.figures import rg_overdue_cutoff
from safeguarding.core import figures
from tests.dashboards import data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    with time_machine.travel(data.NOW, tick=False):
        yield data.build(personas)


def tables(key: str, f: figures.Filters) -> dict[str, figures.Table]:
    provider = figures.provider(key)
    assert provider is not None
    return {t.key: t for t in provider.tables(f)}


def column(table: figures.Table, index: int) -> dict:
    return {str(row.cells[0]): row.cells[index] for row in table.rows}


VIEWERS = ["supervisor", "force_lead"]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_caseload_matches_brute_force(world, viewer):
    user = getattr(world.personas, viewer)
    with time_machine.travel(data.NOW, tick=False):
        got = tables("caseload", data.filters_for(user))
        expected = data.brute_caseload(user)
    by_team = got["by_team"]
    assert {k: v for k, v in column(by_team, 1).items() if v} == dict(expected["team"])
    assert {k: v for k, v in column(by_team, 2).items() if v} == dict(expected["high_by_team"])
    assert column(got["by_officer"], 1) == dict(expected["officer"])
    assert {k: v for k, v in column(got["by_risk"], 1).items() if v} == dict(expected["risk"])
    attention = [row.cells[1] for row in got["attention"].rows]
    assert attention == [expected["stale"], expected["review"]]


def test_a_supervisors_caseload_counts_only_their_team_despite_break_glass(world):
    supervisor = world.personas.supervisor
    with time_machine.travel(data.NOW, tick=False):
        got = tables("caseload", data.filters_for(supervisor))
    assert [row.cells[0] for row in got["by_team"].rows] == ["Team A"]
    assert sum(row.cells[1] for row in got["by_officer"].rows) == 3  # a1, a2, a3; b1 is reachable by break glass only


@pytest.mark.parametrize("viewer", VIEWERS)
def test_missing_episodes_per_london_month_match_brute_force(world, viewer):
    user = getattr(world.personas, viewer)
    with time_machine.travel(data.NOW, tick=False):
        got = tables("missing", data.filters_for(user))
        expected = data.brute_missing(user)
    by_month = {row.key.removeprefix("month-"): row.cells[1] for row in got["by_month"].rows}
    assert {k: v for k, v in by_month.items() if v} == dict(expected["by_month"])
    assert got["by_month"].totals[1] == sum(expected["by_month"].values())
    impact = [row.cells[1] for row in got["impact"].rows]
    assert impact[:4] == [
        expected["compared"],
        expected["before"],
        expected["after"],
        expected["before"] - expected["after"],
    ]


def test_month_boundaries_follow_uk_time_across_the_clock_change(world):
    supervisor = world.personas.supervisor
    with time_machine.travel(data.NOW, tick=False):
        got = tables("missing", data.filters_for(supervisor))
    by_month = {row.key.removeprefix("month-"): row.cells[1] for row in got["by_month"].rows}
    # Team A: 28 Feb 23:30 UTC is February; 1 March 00:30 UTC (GMT) is March; both 29 March
    # episodes (either side of 01:00 UTC, when BST began) are March; 31 March 23:30 UTC is
    # 1 April 00:30 BST, so April. a2's 10 February episode is February.
    assert by_month == {"2026-01": 1, "2026-02": 2, "2026-03": 3, "2026-04": 1}
    assert got["by_month"].rows[1].cells[2] == "£2,650.88"


def test_episodes_avoided_are_stated_with_the_cost_and_its_source(world, settings):
    supervisor = world.personas.supervisor
    with time_machine.travel(data.NOW, tick=False):
        impact = tables("missing", data.filters_for(supervisor))["impact"]
    # a2 opened on 5 January 2026 with three episodes in the 90 days before and one after;
    # the closed case opened on 2 January had none either side.
    assert [row.cells[1] for row in impact.rows] == [2, 3, 1, 2, "£2,650.88"]
    assert "1,325.44" in impact.note and "University of Portsmouth" in impact.note


@pytest.mark.parametrize("viewer", VIEWERS)
def test_clock_compliance_matches_brute_force(world, viewer):
    user = getattr(world.personas, viewer)
    with time_machine.travel(data.NOW, tick=False):
        got = tables("clock", data.filters_for(user))
        expected = data.brute_compliance(user)
    team = got["compliance_team"]
    assert {k: v for k, v in column(team, 1).items() if v} == dict(expected["due"])
    assert {k: v for k, v in column(team, 2).items() if v} == {k: v for k, v in expected["on_time"].items() if v}
    months = got["compliance_month"]
    assert sum(row.cells[1] for row in months.rows) == sum(expected["due"].values())
    items = got["compliance_item"]
    assert sum(row.cells[1] for row in items.rows) == sum(expected["due"].values())
    assert sum(row.cells[2] for row in items.rows) == sum(expected["on_time"].values())


@pytest.mark.parametrize("viewer", VIEWERS)
def test_nrm_pipeline_matches_brute_force(world, viewer):
    user = getattr(world.personas, viewer)
    with time_machine.travel(data.NOW, tick=False):
        got = tables("nrm", data.filters_for(user))["pipeline"]
        expected = data.brute_nrm(user, rg_overdue_cutoff(data.NOW.date()))
    assert {row.key: row.cells[1] for row in got.rows} == expected


def test_rg_overdue_counts_working_days():
    # 5 working days after Wednesday 1 April 2026 is Thursday 9 April (Good Friday and
    # Easter Monday are bank holidays): due then, overdue from Friday 10 April.
    from datetime import date

    assert rg_overdue_cutoff(date(2026, 4, 15)) >= date(2026, 4, 1)
    assert rg_overdue_cutoff(date(2026, 4, 9)) < date(2026, 4, 1)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_referrals_by_agency_match_brute_force(world, viewer):
    user = getattr(world.personas, viewer)
    with time_machine.travel(data.NOW, tick=False):
        got = tables("referrals", data.filters_for(user))
        expected = data.brute_referrals(user)
    agency = got["by_agency"]
    assert column(agency, 1) == dict(expected["sent"])
    assert {k: v for k, v in column(agency, 2).items() if v} == dict(expected["answered"])
    assert {k: v for k, v in column(agency, 3).items() if v} == dict(expected["on_time"])
    assert column(got["unanswered"], 1) == dict(expected["unanswered"])


def test_custody_review_counts_the_teams_decisions(world):
    supervisor = world.personas.supervisor
    with time_machine.travel(data.NOW, tick=False):
        review = tables("custody_review", data.filters_for(supervisor))["review"]
        force = tables("custody_review", data.filters_for(world.personas.force_lead))["review"]
    assert [row.cells[1] for row in review.rows] == [1, 3, 1, 1, 1]
    assert [row.cells[1] for row in force.rows] == [1, 4, 2, 1, 1]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_record_behind_every_figure_is_one_the_viewer_may_open(world, viewer):
    user = getattr(world.personas, viewer)
    with time_machine.travel(data.NOW, tick=False):
        f = data.filters_for(user)
        openable = set(cases_visible_to(user).values_list("pk", flat=True))
        team_ids = set(f.team_ids) if f.team_ids is not None else None
        seen = 0
        for provider in figures.providers_for(user.role):
            for table in provider.tables(f):
                for row in table.rows:
                    if not row.key or provider.records is None:
                        continue
                    records = provider.records(f, table.key, row.key)
                    assert records is not None, (provider.key, table.key, row.key)
                    for case in records:
                        seen += 1
                        assert case.pk in openable
                        assert team_ids is None or case.team_id in team_ids
    assert seen


def test_the_records_behind_a_row_are_the_ones_it_counts(world):
    supervisor = world.personas.supervisor
    with time_machine.travel(data.NOW, tick=False):
        f = data.filters_for(supervisor)
        provider = figures.provider("caseload")
        for row in tables("caseload", f)["by_risk"].rows:
            assert provider.records(f, "by_risk", row.key).count() == row.cells[1]
        assert provider.records(f, "by_risk", "risk-nonsense") is None
