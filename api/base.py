"""What every API view shares: token authentication only, the client's scope, the
per-client throttle, JSON in and out, and problem details for every refusal."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.serializers import ListSerializer
from rest_framework.views import APIView

from .auth import HasScope, PerClientThrottle, SystemClientAuthentication
from .problems import PROBLEM_JSON, TITLES
from .serializers import ProblemSerializer


def _blank_in_pattern(prop: dict) -> None:
    """drf-spectacular writes allow_blank as oneOf [the string, a string of length 0]; where
    the pattern already allows "", both branches match it and oneOf refuses it. One branch."""
    branches = prop.get("oneOf")
    if not branches or len(branches) != 2 or branches[1] != {"type": "string", "maxLength": 0}:
        return
    pattern = branches[0].get("pattern")
    if pattern is not None and re.search(pattern, ""):
        del prop["oneOf"]
        prop.update(branches[0])


class ApiAutoSchema(AutoSchema):
    """The schema says what the server does: a request body's object refuses fields it does
    not name (additionalProperties: false, as StrictSerializer does), and every 429 says
    when to try again."""

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if direction != "request" or schema.get("type") != "object":
            return schema
        schema["additionalProperties"] = False
        fields = getattr(force_instance(serializer), "fields", {})
        for name, prop in schema.get("properties", {}).items():
            _blank_in_pattern(prop)
            field = fields.get(name)
            if isinstance(field, ListSerializer):
                # DRF's min_length/max_length of a list, which drf-spectacular leaves out.
                if field.min_length is not None:
                    prop["minItems"] = field.min_length
                if field.max_length is not None:
                    prop["maxItems"] = field.max_length
        return schema

    def _get_request_body(self, direction="request"):
        body = super()._get_request_body(direction)
        if body:
            # Every body this API takes is needed: none of its POSTs reads an absent one as {}.
            body["required"] = True
        return body

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if str(status_code) == "429":
            headers["Retry-After"] = {
                "schema": {"type": "integer", "minimum": 1},
                "required": True,
                "description": "Seconds to wait before the next call.",
            }
        return headers


class ApiView(APIView):
    authentication_classes: ClassVar = [SystemClientAuthentication]
    permission_classes: ClassVar = [HasScope]
    throttle_classes: ClassVar = [PerClientThrottle]
    parser_classes: ClassVar = [JSONParser]
    renderer_classes: ClassVar = [JSONRenderer]
    required_scope: ClassVar[str] = ""
    schema = ApiAutoSchema()
    #: Each method's parameters, the very list its @extend_schema is written from. A query
    #: parameter the operation does not declare is a 400 problem naming it, as the schema
    #: says (a misspelt ``page_sise`` is not silently the default).
    parameters: ClassVar[dict[str, list[OpenApiParameter]]] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authenticated, allowed and throttled first
        known = {p.name for p in self.parameters.get(request.method, []) if p.location == OpenApiParameter.QUERY}
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise exceptions.ValidationError({name: ["Not a parameter of this operation."] for name in unknown})


def problem_responses(*codes: int) -> dict[Any, Any]:
    """Schema entries for refusals, as application/problem+json."""
    return {
        (code, PROBLEM_JSON): OpenApiResponse(response=ProblemSerializer, description=TITLES.get(code, "Error"))
        for code in codes
    }
