"""Missing episodes: dated re-gradings (who, why), the return and where it happened,
the estimated police cost per episode and per 90 days around the case, chronology."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from cases import services
from cases.chronology import chronology_for
from cases.models import MissingRiskGrading
from cases.selectors import missing_periods
from safeguarding.audit.models import AuditEvent
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.django_db

# Midsummer, midday UTC (13:00 BST): far from midnight and from both clock changes.
NOW = datetime(2025, 6, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def local(moment: datetime) -> str:
    """A UTC moment as the form's UK wall-clock text (BST in June)."""
    return (moment + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")


def episode_data(**overrides) -> dict:
    return {
        "reported_missing_at": NOW - timedelta(days=2),
        "missing_from": "Children's home, Testtown",
        "reported_by": "Care home staff",
        "risk_grade": "medium",
        **overrides,
    }


def test_recording_an_episode_records_its_first_grading_and_the_cost_estimate(personas):
    case = CaseFactory(owner=personas.officer_a)
    episode = services.missing_episode_create(actor=personas.officer_a, case=case, data=episode_data())
    assert episode.estimated_cost == Decimal("1325.44")
    (grading,) = episode.gradings.all()
    assert (grading.grade, grading.graded_by, grading.graded_at) == (
        "medium",
        personas.officer_a,
        NOW - timedelta(days=2),
    )


def test_the_cost_estimate_in_force_stays_with_the_episode(personas):
    case = CaseFactory(owner=personas.officer_a)
    old = services.missing_episode_create(actor=personas.officer_a, case=case, data=episode_data())
    with override_settings(MISSING_EPISODE_ESTIMATED_COST=Decimal("2000.00")):
        new = services.missing_episode_create(
            actor=personas.officer_a, case=case, data=episode_data(reported_missing_at=NOW - timedelta(days=1))
        )
    old.refresh_from_db()
    assert (old.estimated_cost, new.estimated_cost) == (Decimal("1325.44"), Decimal("2000.00"))


def test_a_regrading_is_dated_with_who_and_why_and_changes_the_current_grade(personas):
    case = CaseFactory(owner=personas.officer_a)
    episode = services.missing_episode_create(actor=personas.officer_a, case=case, data=episode_data())
    client = personas.client("supervisor")
    url = reverse("cases:missing_regrade", args=[episode.pk])
    response = client.post(
        url, {"grade": "high", "graded_at": local(NOW - timedelta(days=1)), "reason": "Seen with a known exploiter"}
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.risk_grade == "high"
    latest = episode.gradings.order_by("graded_at").last()
    assert (latest.grade, latest.graded_by, latest.reason) == (
        "high",
        personas.supervisor,
        "Seen with a known exploiter",
    )
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE, object_id=str(episode.pk), detail__to="high", actor_id=personas.supervisor.pk
    ).exists()
    # The history shows on the page, and on the case page as a count.
    page = client.get(url).content.decode()
    assert "Seen with a known exploiter" in page and "Graded when reported missing." in page
    assert "re-graded 1 time" in client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()


def test_a_regrading_without_a_reason_or_before_the_report_is_refused_and_keeps_what_was_typed(personas):
    case = CaseFactory(owner=personas.officer_a)
    episode = services.missing_episode_create(actor=personas.officer_a, case=case, data=episode_data())
    url = reverse("cases:missing_regrade", args=[episode.pk])
    client = personas.client("officer_a")
    response = client.post(url, {"grade": "high", "graded_at": local(NOW - timedelta(hours=1)), "reason": ""})
    assert response.status_code == 400
    assert "Enter why the grade changed" in response.content.decode()
    before = local(NOW - timedelta(days=5))
    response = client.post(url, {"grade": "low", "graded_at": before, "reason": "Typed reason"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "The re-grading must be after they were reported missing" in page
    assert "Typed reason" in page and before in page
    assert MissingRiskGrading.objects.filter(episode=episode).count() == 1
    episode.refresh_from_db()
    assert episode.risk_grade == "medium"


def test_the_edit_form_does_not_change_the_grade_without_a_regrading(personas):
    case = CaseFactory(owner=personas.officer_a)
    episode = services.missing_episode_create(actor=personas.officer_a, case=case, data=episode_data())
    services.missing_episode_update(actor=personas.officer_a, episode=episode, data={"risk_grade": "high"})
    episode.refresh_from_db()
    assert episode.risk_grade == "medium"
    page = personas.client("officer_a").get(reverse("cases:missing_edit", args=[episode.pk])).content.decode()
    assert 'name="risk_grade"' not in page and 'name="found_location"' in page


def test_a_return_before_the_missing_report_is_refused_by_the_service(personas):
    case = CaseFactory(owner=personas.officer_a)
    episode = services.missing_episode_create(actor=personas.officer_a, case=case, data=episode_data())
    with pytest.raises(Exception) as error:
        services.missing_episode_update(
            actor=personas.officer_a, episode=episode, data={"found_at": NOW - timedelta(days=3)}
        )
    assert "found_at" in error.value.message_dict  # type: ignore[attr-defined]
    episode.refresh_from_db()
    assert episode.found_at is None


def test_a_return_before_the_missing_report_is_refused_next_to_the_field_keeping_what_was_typed(personas):
    case = CaseFactory(owner=personas.officer_a)
    episode = services.missing_episode_create(actor=personas.officer_a, case=case, data=episode_data())
    found = local(NOW - timedelta(days=3))
    response = personas.client("officer_a").post(
        reverse("cases:missing_edit", args=[episode.pk]),
        {
            "reported_missing_at": local(episode.reported_missing_at),
            "missing_from": "Children's home, Testtown",
            "reported_by": "Care home staff",
            "found_at": found,
            "found_where": "Typed bus station",
            "found_location": "outside",
        },
    )
    page = response.content.decode()
    assert "Found or returned must be after they were reported missing" in page
    assert "Typed bus station" in page and found in page
    episode.refresh_from_db()
    assert episode.found_at is None


def test_the_return_records_where_inside_or_outside_the_force_area(personas):
    case = CaseFactory(owner=personas.officer_a)
    episode = services.missing_episode_create(actor=personas.officer_a, case=case, data=episode_data())
    response = personas.client("officer_a").post(
        reverse("cases:missing_edit", args=[episode.pk]),
        {
            "reported_missing_at": local(episode.reported_missing_at),
            "missing_from": "Children's home, Testtown",
            "reported_by": "Care home staff",
            "found_at": local(NOW - timedelta(hours=3)),
            "found_where": "Seaport railway station",
            "found_by": "British Transport Police",
            "found_location": "outside",
        },
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.found_location == "outside" and episode.found_at == NOW - timedelta(hours=3)
    titles = [e.title for e in chronology_for(person=case.person, user=personas.officer_a).entries]
    assert "Found or returned: Seaport railway station (outside the force area)" in titles


def test_regradings_are_in_the_chronology_but_the_first_grading_is_on_the_report(personas):
    case = CaseFactory(owner=personas.officer_a)
    episode = services.missing_episode_create(actor=personas.officer_a, case=case, data=episode_data())
    services.missing_episode_regrade(
        actor=personas.officer_a, episode=episode, grade="high", graded_at=NOW - timedelta(days=1), reason="Threats"
    )
    entries = chronology_for(person=case.person, user=personas.officer_a, types=["missing"]).entries
    regradings = [e for e in entries if e.title.startswith("Missing episode re-graded")]
    assert len(regradings) == 1 and regradings[0].text == "Threats"
    assert regradings[0].title == "Missing episode re-graded: high risk"


def test_episodes_and_cost_in_the_90_days_before_the_case_and_each_90_days_after(personas):
    case = CaseFactory(owner=personas.officer_a, opened_at=NOW - timedelta(days=100))
    other_case_same_person = CaseFactory(
        owner=personas.officer_a, person=case.person, opened_at=NOW - timedelta(days=400)
    )
    for days_before_now, on in ((150, case), (120, other_case_same_person), (95, case), (5, case), (300, case)):
        services.missing_episode_create(
            actor=personas.officer_a,
            case=on,
            data=episode_data(reported_missing_at=NOW - timedelta(days=days_before_now)),
        )
    periods = missing_periods(personas.officer_a, case)
    assert [(p.episodes, p.cost) for p in periods] == [
        (2, Decimal("2650.88")),  # 150 and 120 days ago: the 90 days before it opened (100 days ago)
        (1, Decimal("1325.44")),  # 95 days ago: days 1–90
        (1, Decimal("1325.44")),  # 5 days ago: days 91–180 (still running)
    ]
    assert periods[0].label == "90 days before the case opened"
    page = personas.client("officer_a").get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "90 days before the case opened" in page and "£2,650.88" in page


def test_the_periods_count_only_episodes_the_user_may_see(personas):
    case = CaseFactory(owner=personas.officer_a, opened_at=NOW - timedelta(days=10))
    hidden = CaseFactory(owner=personas.officer_b, person=case.person, opened_at=NOW - timedelta(days=50))
    services.missing_episode_create(
        actor=personas.officer_b, case=hidden, data=episode_data(reported_missing_at=NOW - timedelta(days=20))
    )
    assert [p.episodes for p in missing_periods(personas.officer_a, case)] == [0, 0]


def test_the_force_lead_reads_but_cannot_regrade_and_another_team_gets_404(personas):
    case = CaseFactory(owner=personas.officer_a)
    episode = services.missing_episode_create(actor=personas.officer_a, case=case, data=episode_data())
    url = reverse("cases:missing_regrade", args=[episode.pk])
    assert personas.client("force_lead").get(url).status_code == 403
    assert personas.client("officer_b").get(url).status_code == 404
    assert personas.client("partner").get(url).status_code == 404
    response = personas.client("officer_a").get(url)
    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, object_type="cases.missingepisode", object_id=str(episode.pk)
    ).exists()


def test_new_exploitation_types_cuckooing_and_the_cce_offence(personas):
    case = CaseFactory(owner=personas.officer_a, exploitation_types=["cce", "cuckooing", "cce_offence"])
    case.full_clean()
    assert case.get_exploitation_types_display() == [
        "Child criminal exploitation",
        "Cuckooing",
        "CCE offence (Crime and Policing Act 2026)",
    ]
