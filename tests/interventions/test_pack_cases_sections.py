"""The handover pack carries the young person's placements and missing episodes (sections
the cases app registers), and never the restricted digital review."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import verified_client
from tests.factories.cases import DigitalReviewFactory, MissingEpisodeFactory, PlacementFactory

from .helpers import make_handover
from .test_documents import pdf_text

pytestmark = pytest.mark.django_db


def test_the_pack_shows_placements_and_missing_episodes_but_never_the_digital_review(personas):
    handover = make_handover(personas.officer_a)
    case = handover.case
    PlacementFactory(
        case=case,
        address="7 Example Close, Testford",
        provider="Testshire Fostering",
        from_date=timezone.localdate() - timedelta(days=40),
    )
    MissingEpisodeFactory(case=case, missing_from="Testford foster home, back garden")
    review = DigitalReviewFactory(case=case, device="Grey test phone")
    client = verified_client(personas.officer_a)
    html = client.get(reverse("interventions:handover_pack", args=[handover.pk])).content.decode()
    text = pdf_text(client.get(reverse("interventions:handover_pack_pdf", args=[handover.pk])))
    for expected in (
        "Placements",
        "7 Example Close, Testford",
        "Testshire Fostering",
        "Missing episodes",
        "Testford foster home, back garden",
    ):
        assert expected in html and expected in text, expected
    finding = review.findings.get().detail
    for restricted in (finding, "RESTRICTED-FINDING", "Grey test phone"):
        assert restricted not in html and restricted not in text, restricted


def test_a_case_without_placements_or_episodes_has_no_empty_sections(personas):
    handover = make_handover(personas.officer_a)
    client = verified_client(personas.officer_a)
    html = client.get(reverse("interventions:handover_pack", args=[handover.pk])).content.decode()
    assert "<h2>Placements</h2>" not in html and "<h2>Missing episodes</h2>" not in html
