"""An outside client, as an integrator would build one: a Python package generated from the
live schema by openapi-python-client, driving one detention batch and one referral thread
over HTTP against the live test server. If the schema stops saying what the server does,
the generated code fails to build, to call, or to parse the answer."""

from __future__ import annotations

import importlib
import subprocess
import sys
import urllib.request
from pathlib import Path
from uuid import uuid4

import pytest

from referrals.models import Referral, ReferralMessage, ReferralStatus
from tests.api.helpers import CUSTODY, RESPOND, issue
from tests.factories.custody import adult_row, person_row
from tests.referrals.helpers import inbox_agency, sent_referral

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("generated_client")]

GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture
def generated(live_server, tmp_path, monkeypatch):
    """The client package generated from the schema the running server serves."""
    schema = tmp_path / "schema.json"
    with urllib.request.urlopen(live_server.url + "/api/v1/schema/?format=json") as answer:  # noqa: S310 - the test server
        schema.write_bytes(answer.read())
    (tmp_path / "config.yml").write_text("package_name_override: sg_client\nproject_name_override: sg-client\n")
    done = subprocess.run(
        [str(GENERATOR), "generate", "--path", str(schema), "--config", "config.yml", "--meta", "none"]
        + ["--output-path", "sg_client"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": f"{GENERATOR.parent}:/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout, done.stdout  # every part of the schema was understood
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m == "sg_client" or m.startswith("sg_client.")]:
        del sys.modules[name]
    return importlib.import_module("sg_client")


def test_a_generated_client_sends_a_detention_batch_and_reads_it_back(generated, live_server, personas):
    from sg_client.api.custody import custody_detentions_create, custody_detentions_read
    from sg_client.models import DetentionBatchRequest, DetentionRequest, FeedAnswer, ResultEnum, StoredDetentions

    token = issue(CUSTODY, agency=personas.force).token
    client = generated.AuthenticatedClient(base_url=live_server.url, token=token, raise_on_unexpected_status=True)
    rows = [person_row(custody_number="WS/07001/26"), adult_row(number="WS/07002/26")]
    batch = DetentionBatchRequest(detentions=[DetentionRequest.from_dict(row) for row in rows])
    key = str(uuid4())

    first = custody_detentions_create.sync_detailed(client=client, body=batch, idempotency_key=key)
    assert first.status_code == 200, first.content
    assert isinstance(first.parsed, FeedAnswer)
    assert [item.result for item in first.parsed.items] == [ResultEnum.NEW, ResultEnum.NEW]
    # A retry after a timeout, with the same key and body, is the stored answer again.
    again = custody_detentions_create.sync_detailed(client=client, body=batch, idempotency_key=key)
    assert again.status_code == first.status_code and again.headers.get("Idempotent-Replayed") == "true"
    assert again.parsed.to_dict() == first.parsed.to_dict()

    stored = custody_detentions_read.sync(client=client, custody_number="WS/07001/26")
    assert isinstance(stored, StoredDetentions)
    assert [d.custody_number for d in stored.detentions] == ["WS/07001/26"]
    assert stored.detentions[0].row == first.parsed.items[0].row


def test_a_generated_client_follows_a_referral_thread(generated, live_server, personas):
    from sg_client.api.referrals import referrals_accept, referrals_acknowledge, referrals_list, referrals_update
    from sg_client.models import PaginatedReferralSummaryList, UpdateRequest

    mash = inbox_agency("Generated MASH")
    referral = sent_referral(personas.officer_a, mash)
    token = issue(RESPOND, agency=mash).token
    client = generated.AuthenticatedClient(base_url=live_server.url, token=token, raise_on_unexpected_status=True)

    page = referrals_list.sync(client=client, page_size=1)
    assert isinstance(page, PaginatedReferralSummaryList)
    assert [r.id for r in page.results] == [referral.pk]
    assert page.next_cursor is None

    acknowledged = referrals_acknowledge.sync_detailed(id=referral.pk, client=client, idempotency_key=str(uuid4()))
    assert acknowledged.status_code == 200, acknowledged.content
    key = str(uuid4())
    body = UpdateRequest(text="Strategy discussion booked for tomorrow at 10:00.")
    for _ in range(2):  # the retry of a timed-out post writes nothing more
        posted = referrals_update.sync_detailed(id=referral.pk, client=client, body=body, idempotency_key=key)
        assert posted.status_code == 201, posted.content
    accepted = referrals_accept.sync_detailed(id=referral.pk, client=client, idempotency_key=str(uuid4()))
    assert accepted.status_code == 200, accepted.content

    referral = Referral.objects.get(pk=referral.pk)
    assert referral.status == ReferralStatus.ACCEPTED
    texts = list(ReferralMessage.objects.filter(referral=referral).values_list("text", flat=True))
    assert texts.count("Strategy discussion booked for tomorrow at 10:00.") == 1
