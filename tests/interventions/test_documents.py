"""The warning letter and the notice: one template gives the printable page and the PDF,
both never cached, both audited as an export naming the recipient; the PDF's text says
what the record holds, conditions in plain English; nothing is fetched from the network."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from pypdf import PdfReader

from safeguarding.audit.models import AuditEvent
from safeguarding.core.documents import DocumentFetchRefused, _refusing_fetcher, render_pdf
from tests.conftest import verified_client

from .helpers import AREA, CONDUCT, draft_notice, served, served_warning

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_the_warning_letter_page_lists_the_conditions_and_is_not_cached(personas):
    warning = served_warning(personas.officer_a, personas.supervisor)
    response = verified_client(personas.officer_a).get(reverse("interventions:cp_letter", args=[warning.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "You must stop carrying or delivering packages for others." in body
    assert f"You must not go into {AREA}." in body
    assert "You cannot appeal against this warning." in body
    export = AuditEvent.objects.get(action="export", object_id=str(warning.pk))
    assert export.recipient.startswith(warning.case.person.full_name)
    assert export.detail["format"] == "html"


def test_the_warning_pdf_says_what_the_record_holds(personas):
    warning = served_warning(personas.officer_a, personas.supervisor)
    response = verified_client(personas.officer_a).get(reverse("interventions:cp_letter_pdf", args=[warning.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert f'filename="{warning.reference}.pdf"' in response["Content-Disposition"]
    text = pdf_text(response)
    person = warning.case.person
    for expected in (
        "Community Protection Warning",
        warning.reference,
        person.full_name,
        CONDUCT,
        "You must stop carrying or delivering packages for others.",
        f"You must not go into {AREA}.",
        "section 43",
    ):
        assert expected in text, expected
    export = AuditEvent.objects.get(action="export", object_id=str(warning.pk))
    assert export.detail["format"] == "pdf" and person.full_name in export.recipient


def test_the_notice_pdf_gives_the_appeal_deadline_and_the_fixed_penalty(personas, settings):
    warning = served_warning(personas.officer_a, personas.supervisor, days_ago=10)
    notice = served(draft_notice(personas.officer_a, warning), personas.officer_a, personas.supervisor, days_ago=1)
    response = verified_client(personas.officer_a).get(reverse("interventions:cp_letter_pdf", args=[notice.pk]))
    text = pdf_text(response)
    deadline = notice.served_on + timedelta(days=21)
    assert "Community Protection Notice" in text
    assert f"{deadline:%-d %B %Y}" in text
    assert "£500.00" in text
    assert warning.reference in text


def test_documents_refuse_every_url():
    fetcher = _refusing_fetcher()
    with pytest.raises(DocumentFetchRefused):
        fetcher.fetch("https://maps.example/tracker.png")
    with pytest.raises(DocumentFetchRefused):
        fetcher.fetch("file:///etc/passwd")
    # An image in the HTML is skipped, not fetched: the PDF still renders.
    pdf = render_pdf('<html><body><img src="http://169.254.169.254/latest"><p>Still here</p></body></html>')
    assert "Still here" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_documents_are_scoped(personas):
    warning = served_warning(personas.officer_a, personas.supervisor)
    for name in ("interventions:cp_letter", "interventions:cp_letter_pdf"):
        url = reverse(name, args=[warning.pk])
        assert verified_client(personas.officer_b).get(url).status_code == 404
        assert verified_client(personas.partner).get(url).status_code == 403
        assert verified_client(personas.force_lead).get(url).status_code == 200
    assert not AuditEvent.objects.filter(action="export", actor_id=personas.officer_b.pk).exists()
