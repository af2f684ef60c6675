"""The custody feed: detentions from the force's custody system, one or a batch."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from custody.review.services import FEED_FIELDS, MAX_FEED_ITEMS, FeedOutcome, custody_feed_receive
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record

from .auth import client_of
from .base import ApiView, problem_responses
from .models import IdempotentAnswer, Scope, SystemClient
from .problems import Unprocessable, pointer
from .serializers import DetentionBatchSerializer, DetentionSerializer, FeedAnswerSerializer

MAX_KEY_LENGTH = 200


def _items(body: Any) -> tuple[list[tuple[int, Any]], tuple[str, ...]]:
    """(index, item) for each detention and the pointer prefix of the items."""
    if not isinstance(body, dict):
        raise exceptions.ValidationError({"": ['Send a JSON object: one detention, or {"detentions": [...]}.']})
    if "detentions" not in body:
        return [(0, body)], ()
    items = body["detentions"]
    extra = sorted(set(body) - {"detentions"})
    if extra:
        raise exceptions.ValidationError({extra[0]: ['Not a field of a batch: send only "detentions".']})
    if not isinstance(items, list) or not items:
        raise exceptions.ValidationError({"detentions": ["Send a list of one or more detentions."]})
    if len(items) > MAX_FEED_ITEMS:
        raise exceptions.ValidationError({"detentions": [f"Send at most {MAX_FEED_ITEMS} detentions a call."]})
    return list(enumerate(items)), ("detentions",)


def _check_item(item: Any, prefix: tuple) -> tuple[dict[str, str] | None, list[dict[str, str]]]:
    """The item's fields as text, or None with its problems (the item is then not imported)."""
    if not isinstance(item, dict):
        return None, [{"pointer": pointer(*prefix), "kind": "invalid", "detail": "A detention is a JSON object."}]
    problems = [
        {"pointer": pointer(*prefix, name), "kind": "invalid", "detail": "Not a field of a detention."}
        for name in sorted(set(item) - set(FEED_FIELDS))
    ]
    serializer = DetentionSerializer(data={k: v for k, v in item.items() if k in FEED_FIELDS})
    if not serializer.is_valid():
        for name, messages in serializer.errors.items():
            problems += [{"pointer": pointer(*prefix, name), "kind": "invalid", "detail": str(m)} for m in messages]
    if problems:
        return None, problems
    values = {k: v or "" for k, v in serializer.validated_data.items()}
    if not any(v.strip() for v in values.values()):
        # As a blank line of a CSV list: nothing to import, not a row to keep.
        return None, [{"pointer": pointer(*prefix), "kind": "invalid", "detail": "The detention has no values."}]
    return values, []


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
    """The answer to one call: every well-formed item imported, each item's result."""
    items, base = _items(body)
    good: list[tuple[int, dict[str, str]]] = []
    answers: dict[int, dict[str, Any]] = {}
    for index, item in items:
        prefix = (*base, index) if base else ()
        values, problems = _check_item(item, prefix)
        if values is None:
            answers[index] = {"index": index, "result": "invalid", "state": "", "row": None, "problems": problems}
        else:
            good.append((index, values))
    if not good:
        problems = [p for a in answers.values() for p in a["problems"]]
        raise Unprocessable("No detention in the request could be imported: see errors.", errors=problems)
    receipt = custody_feed_receive(actor=client.account, source=client.name, detentions=good)
    for outcome in receipt.outcomes:
        answers[outcome.index] = _outcome(outcome, (*base, outcome.index) if base else ())
    results = [answers[index] for index, _ in items]
    count = {
        r: sum(1 for a in results if a["result"] == r) for r in ("new", "updated", "unchanged", "duplicate", "invalid")
    }
    counts = {"received": len(results), "flagged": receipt.batch.flagged_count, **count}
    return {"batch": receipt.batch.pk, "counts": counts, "items": results}, 200


def _request_hash(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _claim(client: SystemClient, key: str, request_hash: str) -> tuple[IdempotentAnswer, bool]:
    """The key's answer row, inserted first: a concurrent request with the same key waits on
    this INSERT (the unique constraint) until ours commits, then finds our answer."""
    try:
        with transaction.atomic():
            return IdempotentAnswer.objects.create(client=client, key=key, request_hash=request_hash), True
    except IntegrityError:
        return IdempotentAnswer.objects.get(client=client, key=key), False


class DetentionsView(ApiView):
    required_scope = Scope.CUSTODY_WRITE

    @extend_schema(
        operation_id="custody_detentions_create",
        summary="Send detentions (one, or a batch of up to 500)",
        description=(
            "Each detention goes through the same reading, screening, deduplication (custody number and "
            "arrest time) and review queue as a row of the morning custody list. Sending a detention again "
            "creates nothing twice; a later release time or outcome updates it (and a released young person "
            "already on a case starts the 48-hour clock). Items with problems are answered one by one with a "
            "JSON pointer to the field; good items still land. With an Idempotency-Key header, a retry gets the "
            "first answer again."
        ),
        request=PolymorphicProxySerializer(
            component_name="DetentionOrBatch",
            serializers=[DetentionSerializer, DetentionBatchSerializer],
            resource_type_field_name=None,
        ),
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="Any unique text up to 200 characters; a retry with the same key and body is answered "
                "as the first call was and changes nothing.",
            )
        ],
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
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > MAX_KEY_LENGTH:
            raise exceptions.ValidationError({"Idempotency-Key": [f"Use at most {MAX_KEY_LENGTH} characters."]})
        with transaction.atomic():
            if key:
                answer, created = _claim(client, key, _request_hash(body))
                if not created:
                    return self._replay(client, answer, _request_hash(body))
            data, status_code = receive(client, body)
            if key:
                answer.body, answer.status_code = data, status_code
                answer.save(update_fields=["body", "status_code"])
        return Response(data, status=status_code)

    def _replay(self, client: SystemClient, answer: IdempotentAnswer, request_hash: str) -> Response:
        if answer.request_hash != request_hash:
            raise Unprocessable("This Idempotency-Key was already used with a different body. Use a new key.")
        audit_record(
            action=AuditEvent.Action.VIEW,
            actor=client.account,
            object_type="custody.custodyimport",
            object_id=answer.body.get("batch") or "",
            summary=f"Custody feed retry answered from its first call ({client.name})"[:255],
            detail={"api_client": client.pk, "idempotency_key": answer.key},
        )
        return Response(answer.body, status=answer.status_code, headers={"Idempotent-Replayed": "true"})
