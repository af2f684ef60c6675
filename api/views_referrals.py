"""The referral API for partner agencies' case systems: exactly the partner portal's
reach (referrals.selectors.referrals_shared_with, read afresh on every call, so a
revoked or expired share answers 404 on the next one), its content
(referrals.content.shared_content) and its answers (referrals.services)."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, cast
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import DateTimeField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from referrals import services
from referrals.content import chronology_range_label, shared_content
from referrals.models import MessageKind, Referral, ReferralMessage
from referrals.selectors import referral_get_for_partner_or_404, referrals_shared_with
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.access import AuthenticatedRequest

from .auth import client_of
from .base import ApiView, problem_responses
from .idempotency import KEY_PARAMETER, audit_replay, idempotent, key_of, replayed_header
from .models import Scope
from .problems import Conflict
from .serializers import (
    DeclineSerializer,
    PostedMessageSerializer,
    ReferralDetailSerializer,
    ReferralSummarySerializer,
    UpdateSerializer,
)


def with_updated_at(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """When anything a partner sees last changed: a status move or a message."""
    last_message = Subquery(
        ReferralMessage.objects.filter(referral=OuterRef("pk")).order_by("-created_at").values("created_at")[:1],
        output_field=DateTimeField(),
    )
    sent = "sent_at"
    return referrals.annotate(
        updated_at=Greatest(
            sent,
            Coalesce("acknowledged_at", sent),
            Coalesce("decided_at", sent),
            Coalesce("closed_at", sent),
            Coalesce(last_message, sent),
            output_field=DateTimeField(),
        )
    )


class ReferralCursor(CursorPagination):
    """Newest first. ``page_size`` outside 1 to 200 (or not a number) is a 400 problem, not
    the default in disguise; ``next_cursor`` is the ``cursor`` of the next page, for
    clients that pass parameters rather than follow a URL."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Request) -> int:
        text = request.query_params.get(self.page_size_query_param)
        if text is None:
            return self.page_size
        if not re.fullmatch(r"[0-9]{1,3}", text) or not 1 <= int(text) <= self.max_page_size:
            raise exceptions.ValidationError({"page_size": [f"Give a whole number from 1 to {self.max_page_size}."]})
        return int(text)

    def get_paginated_response(self, data: Any) -> Response:
        next_link = self.get_next_link()
        previous_link = self.get_previous_link()
        return Response(
            {
                "next": next_link,
                "next_cursor": _cursor_of(next_link),
                "previous": previous_link,
                "previous_cursor": _cursor_of(previous_link),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "format": "uri", "nullable": True}
        cursor = {"type": "string", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "next_cursor", "previous", "previous_cursor", "results"],
            "properties": {
                "next": {**link, "description": "The next page's URL (null on the last page)."},
                "next_cursor": {**cursor, "description": "The next page's `cursor` parameter (null on the last page)."},
                "previous": {**link, "description": "The previous page's URL (null on the first page)."},
                "previous_cursor": {**cursor, "description": "The previous page's `cursor` parameter."},
                "results": schema,
            },
        }


def _cursor_of(link: str | None) -> str | None:
    if link is None:
        return None
    return parse_qs(urlsplit(link).query).get("cursor", [None])[0]


# RFC 3339 (OpenAPI's date-time): a date, a time with seconds, and an offset or Z.
_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:([Zz])|([+-])(\d{2}):(\d{2}))")


def parse_rfc3339(text: str) -> datetime | None:
    """The instant, in UTC; None if the text is not an RFC 3339 date-time. A leap second is
    read as the second before it; instants beyond what Python holds as the earliest or
    latest it holds (an updated_since that far off changes nothing)."""
    match = _RFC3339.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    fraction = match.group(7)
    micro = int((fraction[1:] + "000000")[:6]) if fraction else 0
    if match.group(8):
        offset = timedelta(0)
    else:
        off_hours, off_minutes = int(match.group(10)), int(match.group(11))
        if off_hours > 23 or off_minutes > 59:
            return None
        offset = timedelta(hours=off_hours, minutes=off_minutes) * (-1 if match.group(9) == "-" else 1)
    if not (1 <= month <= 12 and hour <= 23 and minute <= 59 and second <= 60):
        return None
    if not 1 <= day <= calendar.monthrange(max(year, 1), month)[1] and not (year == 0 and month == 2 and day == 29):
        return None
    if year == 0:
        return datetime.min.replace(tzinfo=UTC)
    local = datetime(year, month, day, hour, minute, min(second, 59), micro)  # noqa: DTZ001  # the offset follows
    try:
        return (local - offset).replace(tzinfo=UTC)
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC) if offset > timedelta(0) else datetime.max.replace(tzinfo=UTC)


def _as_request(request: Request) -> AuthenticatedRequest:
    # DRF's request passes attribute reads to Django's; the selectors want the latter's type.
    return cast(AuthenticatedRequest, request)


def _referral(request: Request, pk: int) -> Referral:
    return referral_get_for_partner_or_404(request=_as_request(request), pk=pk)


def _service_errors(error: ValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError({k: list(v) for k, v in error.message_dict.items()})
    return exceptions.ValidationError({"": error.messages})


_LIST_PARAMETERS = [
    OpenApiParameter(
        "updated_since",
        datetime,
        required=False,
        description="RFC 3339 date and time with its offset or Z (2026-12-01T00:00:00Z).",
    ),
    OpenApiParameter(
        "cursor",
        str,
        required=False,
        description="The previous page's `next_cursor`. A cursor this service did not give is 404.",
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": 200},
        required=False,
        description="1 to 200 (50 by default).",
    ),
]


class ReferralListView(ApiView):
    required_scope = Scope.REFERRALS_READ
    parameters = {"GET": _LIST_PARAMETERS}
    pagination_class = ReferralCursor

    @extend_schema(
        operation_id="referrals_list",
        summary="Referrals shared with the client's agency",
        description="Newest first, a page at a time: pass the answer's `next_cursor` as `cursor` (or follow "
        "`next`) until it is null. With `updated_since`, only referrals sent, answered or written to since then.",
        parameters=_LIST_PARAMETERS,
        responses={200: ReferralSummarySerializer(many=True), **problem_responses(400, 401, 403, 404, 429)},
    )
    def get(self, request: Request) -> Response:
        client = client_of(request)
        referrals = with_updated_at(referrals_shared_with(request.user))
        since_text = request.query_params.get("updated_since")
        if since_text is not None:
            # Read in UTC (the database takes only real zones' offsets).
            since = parse_rfc3339(since_text)
            if since is None:
                raise exceptions.ValidationError(
                    {"updated_since": ["Give an RFC 3339 date and time with its offset, as 2026-12-01T00:00:00Z."]}
                )
            # updated_at is with_updated_at's annotation, which the type checker cannot see.
            referrals = referrals.filter(**{"updated_at__gt": since})
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(referrals, request, view=self) or []
        audit_record(
            action=AuditEvent.Action.LIST,
            actor=client.account,
            request=_as_request(request),
            object_type="referrals.referral",
            summary=f"Referrals shared with {client.agency.name} listed by {client.label} ({len(page)})"[:255],
            recipient=client.agency.name,
            detail={"ids": [r.pk for r in page], "api_client": client.pk},
        )
        return paginator.get_paginated_response(ReferralSummarySerializer(page, many=True).data)


class ReferralDetailView(ApiView):
    required_scope = Scope.REFERRALS_READ

    @extend_schema(
        operation_id="referrals_read",
        summary="One referral: only the sections shared, as the partner portal shows them",
        responses={200: ReferralDetailSerializer, **problem_responses(401, 403, 404, 429)},
    )
    def get(self, request: Request, pk: int) -> Response:
        client = client_of(request)
        referral = _referral(request, pk)
        referral = with_updated_at(Referral.objects.filter(pk=referral.pk)).select_related(
            "case", "case__person", "case__owner", "case__team__agency", "agency", "created_by"
        )[0]
        content = shared_content(referral)
        audit_record(
            action=AuditEvent.Action.VIEW,
            actor=client.account,
            request=_as_request(request),
            obj=referral,
            summary=f"Referral {referral.reference} read by {client.label} for {client.agency.name}"[:255],
            recipient=client.agency.name,
            detail={"sections": referral.sections, "api_client": client.pk},
        )
        referral.content = content  # type: ignore[attr-defined]  # read by the serializer
        referral.chronology_range = chronology_range_label(referral)  # type: ignore[attr-defined]
        referral.messages_list = list(referral.messages.select_related("author"))  # type: ignore[attr-defined]
        data = ReferralDetailSerializer(referral).data
        return Response(data)


def _updated(referral: Referral) -> dict[str, Any]:
    return ReferralSummarySerializer(with_updated_at(Referral.objects.filter(pk=referral.pk))[0]).data


def _write(request: Request, referral: Referral, body: Any, write: Callable[[], tuple[Any, int]]) -> Response:
    """A referral write, at most once per Idempotency-Key; the service's refusals as problems
    (they roll back the key's claim, so a corrected retry may reuse the key)."""
    client = client_of(request)

    def guarded() -> tuple[Any, int]:
        try:
            return write()
        except services.ReferralError as error:
            raise Conflict(str(error)) from None
        except ValidationError as error:
            raise _service_errors(error) from None
        except PermissionDenied:
            raise Http404("No such record.") from None

    return idempotent(
        request,
        client,
        body=body,
        write=guarded,
        audit_replay=lambda answer: audit_replay(
            client, answer, object_type="referrals.referral", object_id=referral.pk
        ),
    )


class _DecisionView(ApiView):
    required_scope = Scope.REFERRALS_RESPOND
    action: ClassVar[str] = ""

    def decide(self, request: Request, pk: int, reason: str = "", body: Any = None) -> Response:
        client_of(request)
        key_of(request)  # a malformed key is refused before anything is looked up
        referral = _referral(request, pk)

        def write() -> tuple[Any, int]:
            done = services.referral_partner_decide(
                actor=request.user, referral=referral, action=self.action, reason=reason, request=_as_request(request)
            )
            return _updated(done), 200

        return _write(request, referral, body, write)


_BODILESS_RESPONSES = {200: ReferralSummarySerializer, **problem_responses(400, 401, 403, 404, 409, 422, 429)}
_DECISION_RESPONSES = {200: ReferralSummarySerializer, **problem_responses(400, 401, 403, 404, 409, 415, 422, 429)}
_WRITE_PARAMETERS = [KEY_PARAMETER, replayed_header(200, 201)]


class AcknowledgeView(_DecisionView):
    action = "acknowledge"

    @extend_schema(
        operation_id="referrals_acknowledge",
        summary="Acknowledge the referral (no body)",
        request=None,
        parameters=_WRITE_PARAMETERS,
        responses=_BODILESS_RESPONSES,
    )
    def post(self, request: Request, pk: int) -> Response:
        return self.decide(request, pk)


class AcceptView(_DecisionView):
    action = "accept"

    @extend_schema(
        operation_id="referrals_accept",
        summary="Accept the acknowledged referral (no body)",
        request=None,
        parameters=_WRITE_PARAMETERS,
        responses=_BODILESS_RESPONSES,
    )
    def post(self, request: Request, pk: int) -> Response:
        return self.decide(request, pk)


class DeclineView(_DecisionView):
    action = "decline"

    @extend_schema(
        operation_id="referrals_decline",
        summary="Decline the acknowledged referral, with the reason",
        request=DeclineSerializer,
        parameters=_WRITE_PARAMETERS,
        responses=_DECISION_RESPONSES,
    )
    def post(self, request: Request, pk: int) -> Response:
        client_of(request)
        _referral(request, pk)  # an unshared referral is 404 before its body is judged
        serializer = DeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.decide(request, pk, reason=serializer.validated_data["reason"], body=request.data)


class UpdateView(ApiView):
    required_scope = Scope.REFERRALS_RESPOND

    @extend_schema(
        operation_id="referrals_update",
        summary="Post an update (or a question) to the officer",
        request=UpdateSerializer,
        parameters=_WRITE_PARAMETERS,
        responses={201: PostedMessageSerializer, **problem_responses(400, 401, 403, 404, 409, 415, 422, 429)},
    )
    def post(self, request: Request, pk: int) -> Response:
        client_of(request)
        key_of(request)
        referral = _referral(request, pk)
        serializer = UpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def write() -> tuple[Any, int]:
            message = services.referral_message_add(
                actor=request.user,
                referral=referral,
                kind=MessageKind(serializer.validated_data["kind"]),
                text=serializer.validated_data["text"],
                request=_as_request(request),
            )
            return PostedMessageSerializer(message).data, 201

        return _write(request, referral, request.data, write)
