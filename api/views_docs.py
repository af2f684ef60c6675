"""The OpenAPI schema and its human-readable docs (Swagger UI), public like any API
reference: they describe the interface and hold no data. Swagger UI's files are served
from this service (drf-spectacular-sidecar), never a CDN, and the page runs under the
site's Content Security Policy: its start-up script is a separate file, not inline."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class SchemaView(SpectacularAPIView):
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = [AllowAny]


class DocsView(SpectacularSwaggerSplitView):
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = [AllowAny]
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"


class NotFoundView(APIView):
    """Any other path under /api/v1/ (an id that is not a number, a mistyped endpoint):
    a 404 problem, not the service's HTML page."""

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = [AllowAny]
    throttle_classes: list[Any] = []
    renderer_classes: list[Any] = [JSONRenderer]

    @extend_schema(exclude=True)
    def get(self, request: Request, *args, **kwargs) -> Response:
        raise NotFound("There is no such endpoint or record.")

    post = put = patch = delete = head = options = get
