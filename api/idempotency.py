"""Idempotent writes: every POST of the API takes an ``Idempotency-Key``.

The key's row is inserted first, in the write's own transaction; the unique (client, key)
constraint is also the lock, so a concurrent request with the same key waits on that
INSERT until the first commits, then finds its answer. A refused call (a problem)
rolls back with its claim: only answers that changed something are kept, for
API_IDEMPOTENCY_HOURS. Same key and same call (operation, path and body): the kept
answer, with ``Idempotent-Replayed: true``. Same key, another call: 422.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record

from .models import IdempotentAnswer, SystemClient
from .problems import Unprocessable

MAX_KEY_LENGTH = 200
# Printable ASCII without spaces (a UUID, a ULID, "retry-0001"): nothing a proxy trims or folds.
KEY_PATTERN = r"^[!-~]{1,200}$"
_KEY = re.compile(r"[!-~]{1,200}")
REPLAYED = "Idempotent-Replayed"

KEY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": KEY_PATTERN},
    OpenApiParameter.HEADER,
    required=False,
    description="Printable ASCII without spaces, 1 to 200 characters (a UUID is ideal). A retry with the same key "
    "and the same call is answered as the first call was (with `Idempotent-Replayed: true`) and changes "
    "nothing; the same key with another call or body is a 422 problem. Keys are kept for 24 hours.",
)


def replayed_header(*codes: int) -> OpenApiParameter:
    return OpenApiParameter(
        REPLAYED,
        {"type": "string", "enum": ["true"]},
        OpenApiParameter.HEADER,
        response=list(codes),
        required=False,
        description="Present on an answer replayed for a retry with a kept Idempotency-Key.",
    )


def key_of(request: Request) -> str:
    """The request's key ("" without one); a malformed key is refused before anything is done."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return ""
    if not _KEY.fullmatch(key):
        raise exceptions.ValidationError(
            {"Idempotency-Key": [f"Use 1 to {MAX_KEY_LENGTH} printable ASCII characters without spaces."]}
        )
    return key


def request_hash(request: Request, body: Any) -> str:
    call = {"method": request.method, "path": request.path, "body": body}
    return hashlib.sha256(json.dumps(call, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _claim(client: SystemClient, key: str, digest: str) -> tuple[IdempotentAnswer, bool]:
    try:
        with transaction.atomic():
            return IdempotentAnswer.objects.create(client=client, key=key, request_hash=digest), True
    except IntegrityError:
        return IdempotentAnswer.objects.get(client=client, key=key), False


def idempotent(
    request: Request,
    client: SystemClient,
    *,
    body: Any,
    write: Callable[[], tuple[Any, int]],
    audit_replay: Callable[[IdempotentAnswer], None],
) -> Response:
    """Run ``write`` (returns the answer's data and status) at most once per key."""
    key = key_of(request)
    digest = request_hash(request, body)
    with transaction.atomic():
        if not key:
            data, status_code = write()
            return Response(data, status=status_code)
        answer, created = _claim(client, key, digest)
        if not created:
            if answer.request_hash != digest:
                raise Unprocessable("This Idempotency-Key was already used for another call or body. Use a new key.")
            audit_replay(answer)
            return Response(answer.body, status=answer.status_code, headers={REPLAYED: "true"})
        data, status_code = write()
        answer.body, answer.status_code = data, status_code
        answer.save(update_fields=["body", "status_code"])
    return Response(data, status=status_code)


def audit_replay(client: SystemClient, answer: IdempotentAnswer, *, object_type: str, object_id: Any) -> None:
    audit_record(
        action=AuditEvent.Action.VIEW,
        actor=client.account,
        object_type=object_type,
        object_id=object_id or "",
        summary=f"Retry answered from its first call ({client.name})"[:255],
        detail={"api_client": client.pk, "idempotency_key": answer.key},
    )
