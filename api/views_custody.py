"""The custody feed: detentions from the force's custody system, one or a batch."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from custody.models import CustodyImportRow
from custody.review.row_values import normalise_custody_number
from custody.review.services import FeedOutcome, custody_feed_receive
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record

from .auth import client_of
from .base import ApiView, problem_responses
from .idempotency import KEY_PARAMETER, audit_replay, idempotent, replayed_header
from .models import Scope, SystemClient
from .problems import pointer
from .serializers import (
    MAX_LOOKUP_CHARS,
    NOT_BLANK,
    CustodyNumberQuerySerializer,
    DetentionBatchSerializer,
    DetentionSerializer,
    FeedAnswerSerializer,
    StoredDetentionsSerializer,
)


def _items(body: Any) -> tuple[list[tuple[int, dict[str, str]]], tuple[str, ...]]:
    """(index, fields) of each detention, and the pointer prefix of the items. The body is
    checked whole against the schema first: a call that does not match it is refused with
    every problem's pointer, and nothing of it is imported."""
    if not isinstance(body, dict):
        raise exceptions.ValidationError({"": ['Send a JSON object: one detention, or {"detentions": [...]}.']})
    base: tuple[str, ...]
    if "detentions" in body:
        batch = DetentionBatchSerializer(data=body)
        batch.is_valid(raise_exception=True)
        items, base = batch.validated_data["detentions"], ("detentions",)
    else:
        single = DetentionSerializer(data=body)
        single.is_valid(raise_exception=True)
        items, base = [single.validated_data], ()
    return [(index, {k: v or "" for k, v in item.items()}) for index, item in enumerate(items)], base


def _outcome(outcome: FeedOutcome, prefix: tuple) -> dict[str, Any]:
    return {
        "index": outcome.index,
        "result": outcome.result,
        "state": outcome.state,
        "row": outcome.row,
        "problems": [
            {
                "pointer": pointer(*prefix, problem["field"]) if problem["field"] else pointer(*prefix),
                "kind": problem["kind"],
                "detail": problem["message"],
            }
            for problem in outcome.problems
        ],
    }


def receive(client: SystemClient, body: Any) -> tuple[dict[str, Any], int]:
    """The answer to one call: every detention imported, each item answered from what was stored."""
    items, base = _items(body)
    receipt = custody_feed_receive(actor=client.account, source=client.name, detentions=items)
    results = [_outcome(outcome, (*base, outcome.index) if base else ()) for outcome in receipt.outcomes]
    count = {
        r: sum(1 for a in results if a["result"] == r) for r in ("new", "updated", "unchanged", "duplicate", "invalid")
    }
    counts = {"received": len(results), "flagged": receipt.batch.flagged_count, **count}
    return {"batch": receipt.batch.pk, "counts": counts, "items": results}, 200


def _stored(row: CustodyImportRow) -> dict[str, Any]:
    return {
        "row": row.pk,
        "custody_number": row.custody_number,
        "arrested_at": row.arrested_at,
        "arrest_datetime_text": row.arrested_at_text,
        "released_at": row.released_at,
        "outcome": row.outcome,
        "outcome_text": row.outcome_text,
        "state": row.state,
        "batch": row.batch_id,
        "last_batch": row.last_batch_id,
        "received_at": row.created_at,
        "updated_at": row.updated_at,
        "problems": [
            {"kind": "error", "detail": f"{problem.get('column', '')} {problem.get('message', '')}".strip()}
            for problem in row.errors
        ]
        + [{"kind": "check", "detail": message} for message in row.checks],
        "case": {"id": row.case_id, "reference": row.case.reference} if row.case_id and row.case else None,
    }


_READ_BACK = [
    OpenApiParameter(
        "custody_number",
        {"type": "string", "minLength": 1, "maxLength": MAX_LOOKUP_CHARS, "pattern": NOT_BLANK},
        required=True,
        description="As sent (spaces and case are ignored).",
    )
]


class DetentionsView(ApiView):
    required_scope = Scope.CUSTODY_WRITE
    parameters = {"GET": _READ_BACK}

    @extend_schema(
        operation_id="custody_detentions_read",
        summary="Read back what this client sent, by custody number",
        description=(
            "Every detention with this custody number that this client's calls stored or updated (one per arrest "
            "time): its row, review state, release time and outcome, any problems kept for the custody team, and "
            "the case it joined once an officer has decided. Custody numbers are compared without spaces and "
            "case. A custody number this client never sent is 404, whoever else sent it."
        ),
        parameters=_READ_BACK,
        responses={200: StoredDetentionsSerializer, **problem_responses(400, 401, 403, 404, 429)},
    )
    def get(self, request: Request) -> Response:
        client = client_of(request)
        query = CustodyNumberQuerySerializer(data=dict(request.query_params.items()))
        query.is_valid(raise_exception=True)
        number = normalise_custody_number(query.validated_data["custody_number"])
        rows = CustodyImportRow.objects.filter(custody_number=number)
        mine = (
            rows.filter(Q(batch__uploaded_by=client.account) | Q(last_batch__uploaded_by=client.account))
            .select_related("case")
            .order_by("arrested_at", "pk")
        )
        found = list(mine)
        if not found:
            if rows.exists():
                audit_record(
                    action=AuditEvent.Action.ACCESS_DENIED,
                    actor=client.account,
                    request=request._request,
                    object_type="custody.custodyimportrow",
                    summary=f"Custody number not sent by {client.label} asked for"[:255],
                    detail={"api_client": client.pk},
                )
            raise exceptions.NotFound("This client sent no detention with this custody number.")
        audit_record(
            action=AuditEvent.Action.VIEW,
            actor=client.account,
            request=request._request,
            object_type="custody.custodyimportrow",
            object_id=found[0].pk,
            summary=f"Detentions {number} read back by {client.label} ({len(found)})"[:255],
            detail={"ids": [row.pk for row in found], "api_client": client.pk},
        )
        return Response({"custody_number": number, "detentions": [_stored(row) for row in found]})

    @extend_schema(
        operation_id="custody_detentions_create",
        summary="Send detentions (one, or a batch of up to 500)",
        description=(
            "Each detention goes through the same reading, screening, deduplication (custody number and "
            "arrest time) and review queue as a row of the morning custody list. Sending a detention again "
            "creates nothing twice; a later release time or outcome updates it (and a released young person "
            "already on a case starts the 48-hour clock). A body that does not match this schema is refused "
            "whole (400, a JSON pointer to each problem) and nothing of it is imported; a value the import "
            "cannot read (an arrest time that is not a time) is answered on its item, and the row is kept for "
            "the custody team. Each item's answer says what was stored. With an Idempotency-Key, a retry "
            "gets the first answer again."
        ),
        request=PolymorphicProxySerializer(
            component_name="DetentionOrBatch",
            serializers=[DetentionSerializer, DetentionBatchSerializer],
            resource_type_field_name=None,
        ),
        parameters=[KEY_PARAMETER, replayed_header(200)],
        responses={200: FeedAnswerSerializer, **problem_responses(400, 401, 403, 415, 422, 429)},
        examples=[
            OpenApiExample(
                "One detention",
                request_only=True,
                value={
                    "custody_number": "WS/01234/26",
                    "surname": "Testwood",
                    "forenames": "Jay",
                    "date_of_birth": "2010-03-14",
                    "arrest_datetime": "2026-11-30T23:15",
                    "custody_suite": "Westshire Central",
                    "offences": "Possession with intent to supply Class A",
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        client = client_of(request)
        body = request.data
        return idempotent(
            request,
            client,
            body=body,
            write=lambda: receive(client, body),
            audit_replay=lambda answer: audit_replay(
                client, answer, object_type="custody.custodyimport", object_id=answer.body.get("batch")
            ),
        )
