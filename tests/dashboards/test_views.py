"""The dashboard pages, the records behind a figure and the CSV exports: what each role
gets, what is audited, what a tampered link finds, and spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine
from django.urls import reverse

from dashboards.exports import safe_cell
from safeguarding.audit.models import AuditEvent
from tests.dashboards import data

pytestmark = pytest.mark.django_db

QUERY = "date_from_0=1&date_from_1=1&date_from_2=2026&date_to_0=15&date_to_1=4&date_to_2=2026"


@pytest.fixture
def world(personas):
    with time_machine.travel(data.NOW, tick=False):
        yield data.build(personas)


def get(personas, who, url):
    with time_machine.travel(data.NOW, tick=False):
        return personas.client(who).get(url)


def rows_of(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_team_dashboard_shows_every_section_with_charts_tables_and_freshness(world, personas):
    response = get(personas, "supervisor", reverse("dashboards:team") + "?" + QUERY)
    html = response.content.decode()
    assert response.status_code == 200
    for section in (
        "Caseload",
        "Morning custody review",
        "The 48-hour clocks",
        "Missing episodes",
        "National Referral Mechanism",
        "Referrals to partner agencies",
    ):
        assert section in html
    assert "<svg" in html and "<table" in html
    assert 'id="freshness"' in html and "12:00:00" in html  # UK time of the instant (BST)
    assert "Team B" not in html  # the supervisor's own team only
    event = AuditEvent.objects.filter(object_type="dashboards.dashboard").latest("id")
    assert event.actor_id == personas.supervisor.pk


def test_the_force_dashboard_shows_every_team(world, personas):
    html = get(personas, "force_lead", reverse("dashboards:force") + "?" + QUERY).content.decode()
    assert "Team A" in html and "Team B" in html


def test_a_supervisor_cannot_filter_to_another_team(world, personas):
    url = reverse("dashboards:team") + f"?{QUERY}&team={personas.team_b.pk}"
    response = get(personas, "supervisor", url)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert 'id="section-1"' not in response.content.decode()
    records = reverse("dashboards:records", args=["caseload", "by_team", f"team-{personas.team_b.pk}"])
    assert get(personas, "supervisor", f"{records}?{QUERY}&team={personas.team_b.pk}").status_code == 404


def test_the_records_behind_a_figure_are_listed_and_audited(world, personas):
    url = reverse("dashboards:records", args=["caseload", "by_risk", "risk-high"]) + "?" + QUERY
    response = get(personas, "supervisor", url)
    assert response.status_code == 200
    a1 = world.cases[0]
    assert a1.reference in response.content.decode()
    assert world.cases[4].reference not in response.content.decode()  # b1: high risk, team B
    event = AuditEvent.objects.filter(action=AuditEvent.Action.LIST, object_type="cases.case").latest("id")
    assert event.detail["shown"] == [a1.pk]


def test_an_unknown_figure_or_row_is_not_found(world, personas):
    for args in (["nothing", "by_risk", "risk-high"], ["caseload", "by_risk", "risk-nonsense"]):
        assert get(personas, "force_lead", reverse("dashboards:records", args=args)).status_code == 404
    assert get(personas, "force_lead", reverse("dashboards:table_export", args=["caseload", "nope"])).status_code == 404


def test_a_table_exports_as_csv_with_a_bom_and_an_audit_row(world, personas):
    url = reverse("dashboards:table_export", args=["missing", "by_month"]) + "?" + QUERY
    response = get(personas, "supervisor", url)
    assert response["Content-Type"].startswith("text/csv")
    rows = rows_of(response)
    assert rows[0] == ["Month", "Episodes", "Estimated police cost"]
    assert rows[1:] == [
        ["January 2026", "1", "£1,325.44"],
        ["February 2026", "2", "£2,650.88"],
        ["March 2026", "3", "£3,976.32"],
        ["April 2026", "1", "£1,325.44"],
        ["Total", "7", "£9,278.08"],
    ]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT, object_type="dashboards.figure")
    assert event.actor_id == personas.supervisor.pk
    assert event.detail["rows"] == 5 and event.detail["figure"] == "missing"
    assert event.detail["filters"]["teams"] == [personas.team_a.pk]


def test_person_level_export_asks_a_purpose_then_exports_only_the_scope(world, personas):
    url = reverse("dashboards:records_export", args=["caseload", "by_risk", "risk-high"]) + "?" + QUERY
    with time_machine.travel(data.NOW, tick=False):
        client = personas.client("force_lead")
        asked = client.get(url)
        assert asked.status_code == 200 and "Why are you exporting" in asked.content.decode()
        refused = client.post(url, {"purpose": ""})
        assert refused.status_code == 200 and not AuditEvent.objects.filter(action="export").exists()
        response = client.post(url, {"purpose": "Quarterly high-risk review with the VVU."})
    rows = rows_of(response)
    references = {row[0] for row in rows[1:]}
    assert references == {world.cases[0].reference, world.cases[4].reference}  # a1 and b1
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT, object_type="cases.case")
    assert event.justification == "Quarterly high-risk review with the VVU."
    assert event.detail["rows"] == 2 and sorted(event.detail["ids"]) == sorted([world.cases[0].pk, world.cases[4].pk])


def test_export_cells_that_a_spreadsheet_would_run_are_neutralised(world, personas):
    for text in ("=HYPERLINK(1)", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(text) == "'" + text
    assert safe_cell(-3) == -3  # a number stays a number
    assert safe_cell("Team A") == "Team A"
    # Through a real export: an officer whose name starts with "=".
    officer = personas.officer_a
    officer.full_name = "=cmd|' /C calc'!A0"
    officer.save(update_fields=["full_name"])
    url = reverse("dashboards:table_export", args=["caseload", "by_officer"]) + "?" + QUERY
    rows = rows_of(get(personas, "supervisor", url))
    assert ["'=cmd|' /C calc'!A0", "2", "1"] in rows


@pytest.mark.parametrize("who,name", [("supervisor", "dashboards:team"), ("force_lead", "dashboards:force")])
def test_dashboard_queries_do_not_grow_with_the_data(world, personas, who, name, django_assert_max_num_queries):
    url = reverse(name) + "?" + QUERY
    with time_machine.travel(data.NOW, tick=False):
        client = personas.client(who)
        client.get(url)
        with django_assert_max_num_queries(60):
            assert client.get(url).status_code == 200


def test_figures_are_kept_at_most_a_minute_and_the_page_says_when_they_were_calculated(world, personas):
    from datetime import timedelta

    from cases.models import Case

    url = reverse("dashboards:team") + "?" + QUERY
    client = personas.client("supervisor")
    with time_machine.travel(data.NOW, tick=False):
        first = client.get(url).content.decode()
    Case.objects.filter(pk=world.cases[1].pk).update(risk_level="high")
    with time_machine.travel(data.NOW + timedelta(seconds=59), tick=False):
        cached = client.get(url).content.decode()
    with time_machine.travel(data.NOW + timedelta(seconds=61), tick=False):
        fresh = client.get(url).content.decode()
    assert "at 12:00:00" in first and "at 12:00:00" in cached
    assert "at 12:01:01" in fresh

    def high(html: str) -> str:
        return html.split('href="/dashboards/figures/caseload/by_risk/risk-high/')[1].split("</tr>")[0]

    assert high(first) == high(cached) != high(fresh)
