"""The referral API for partner agencies' case systems: exactly the partner portal's
reach (referrals.selectors.referrals_shared_with, read afresh on every call, so a
revoked or expired share answers 404 on the next one), its content
(referrals.content.shared_content) and its answers (referrals.services)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import DateTimeField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.utils.dateparse import parse_datetime
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
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _as_request(request: Request) -> AuthenticatedRequest:
    # DRF's request passes attribute reads to Django's; the selectors want the latter's type.
    return cast(AuthenticatedRequest, request)


def _referral(request: Request, pk: int) -> Referral:
    return referral_get_for_partner_or_404(request=_as_request(request), pk=pk)


def _service_errors(error: ValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError({k: list(v) for k, v in error.message_dict.items()})
    return exceptions.ValidationError({"": error.messages})


class ReferralListView(ApiView):
    required_scope = Scope.REFERRALS_READ
    pagination_class = ReferralCursor

    @extend_schema(
        operation_id="referrals_list",
        summary="Referrals shared with the client's agency",
        description="Newest first, a page at a time (follow `next`). With `updated_since`, only referrals "
        "sent, answered or written to since then.",
        parameters=[
            OpenApiParameter("updated_since", datetime, required=False, description="ISO 8601 date and time."),
            OpenApiParameter("cursor", str, required=False, description="From the previous page's next link."),
            OpenApiParameter("page_size", int, required=False, description="1 to 200 (50 by default)."),
        ],
        responses={200: ReferralSummarySerializer(many=True), **problem_responses(400, 401, 403, 404, 429)},
    )
    def get(self, request: Request) -> Response:
        client = client_of(request)
        referrals = with_updated_at(referrals_shared_with(request.user))
        since_text = request.query_params.get("updated_since")
        if since_text is not None:
            try:
                since = parse_datetime(since_text.strip())
                # Any offset Python accepts, read in UTC (the database takes only real zones' offsets).
                since = since.astimezone(UTC) if since is not None and since.tzinfo is not None else None
            except (ValueError, OverflowError):
                since = None
            if since is None:
                raise exceptions.ValidationError({"updated_since": ["Give an ISO 8601 date and time with a zone."]})
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


class _DecisionView(ApiView):
    required_scope = Scope.REFERRALS_RESPOND
    action: ClassVar[str] = ""

    def decide(self, request: Request, pk: int, reason: str = "") -> Response:
        client_of(request)
        referral = _referral(request, pk)
        try:
            referral = services.referral_partner_decide(
                actor=request.user, referral=referral, action=self.action, reason=reason, request=_as_request(request)
            )
        except services.ReferralError as error:
            raise Conflict(str(error)) from None
        except ValidationError as error:
            raise _service_errors(error) from None
        except PermissionDenied:
            raise Http404("No such record.") from None
        return Response(_updated(referral))


_DECISION_RESPONSES = {200: ReferralSummarySerializer, **problem_responses(400, 401, 403, 404, 409, 415, 429)}


class AcknowledgeView(_DecisionView):
    action = "acknowledge"

    @extend_schema(operation_id="referrals_acknowledge", request=None, responses=_DECISION_RESPONSES)
    def post(self, request: Request, pk: int) -> Response:
        return self.decide(request, pk)


class AcceptView(_DecisionView):
    action = "accept"

    @extend_schema(operation_id="referrals_accept", request=None, responses=_DECISION_RESPONSES)
    def post(self, request: Request, pk: int) -> Response:
        return self.decide(request, pk)


class DeclineView(_DecisionView):
    action = "decline"

    @extend_schema(operation_id="referrals_decline", request=DeclineSerializer, responses=_DECISION_RESPONSES)
    def post(self, request: Request, pk: int) -> Response:
        client_of(request)
        _referral(request, pk)  # an unshared referral is 404 before its body is judged
        serializer = DeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.decide(request, pk, reason=serializer.validated_data["reason"])


class UpdateView(ApiView):
    required_scope = Scope.REFERRALS_RESPOND

    @extend_schema(
        operation_id="referrals_update",
        summary="Post an update (or a question) to the officer",
        request=UpdateSerializer,
        responses={201: PostedMessageSerializer, **problem_responses(400, 401, 403, 404, 409, 415, 429)},
    )
    def post(self, request: Request, pk: int) -> Response:
        client_of(request)
        referral = _referral(request, pk)
        serializer = UpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            message = services.referral_message_add(
                actor=request.user,
                referral=referral,
                kind=MessageKind(serializer.validated_data["kind"]),
                text=serializer.validated_data["text"],
                request=_as_request(request),
            )
        except services.ReferralError as error:
            raise Conflict(str(error)) from None
        except ValidationError as error:
            raise _service_errors(error) from None
        except PermissionDenied:
            raise Http404("No such record.") from None
        return Response(PostedMessageSerializer(message).data, status=201)
