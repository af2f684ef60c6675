"""Every page that shows a young person's personal data writes an audit row for that
request (DPA 2018 s62 "consultation"): every GET URL the access matrix declares, with
data present, as every persona allowed there. The seeded young people (and custody list
rows) carry a distinctive surname; a response that shows it without writing a row fails.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from cases.models import YoungPerson
from custody.models import CustodyImportRow
from safeguarding.audit.models import AuditEvent
from tests import access_matrix
from tests.conftest import make_personas
from tests.factories.cases import TaskFactory
from tests.security.walk import matrix_urls

pytestmark = pytest.mark.django_db

SURNAME = "Quillfeather"
SIGNED_IN = ["officer_a", "officer_b", "supervisor", "force_lead", "partner", "admin"]


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker) -> Iterator[dict]:
    with django_db_blocker.unblock(), transaction.atomic():
        personas = make_personas()
        urls = matrix_urls(personas)
        # Something on every home-page list: a task of officer_a's, and a high-risk case of the team.
        case = YoungPerson.objects.order_by("pk").first().cases.first()
        TaskFactory(case=case)
        case.__class__.objects.filter(pk=case.pk).update(risk_level="high")
        YoungPerson.objects.update(family_name=SURNAME)
        CustodyImportRow.objects.update(surname=SURNAME)
        clients = {persona: personas.client(persona) for persona in SIGNED_IN}
        yield {"urls": urls, "clients": clients}
        transaction.set_rollback(True)


@pytest.mark.parametrize("name", sorted(access_matrix.full_matrix()))
def test_a_page_showing_a_young_persons_name_writes_an_audit_row(walk, name):
    url, row = walk["urls"][name], access_matrix.full_matrix()[name]
    unaudited = []
    for persona in SIGNED_IN:
        if row.get(persona) != access_matrix.OK:
            continue
        client = walk["clients"][persona]
        before = AuditEvent.objects.count()
        response = client.get(url)
        # Documents are streamed (FileResponse): read them the same way.
        body = b"".join(response.streaming_content) if response.streaming else response.content
        shown = SURNAME in body.decode(errors="replace")
        if shown and AuditEvent.objects.count() == before:
            unaudited.append(persona)
    assert not unaudited, f"GET {url} showed a young person's name without an audit row, to: {unaudited}"
