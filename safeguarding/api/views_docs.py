"""The OpenAPI schema and its human-readable docs (Swagger UI), public like any API
reference: they describe the interface and hold no data. Swagger UI's files are served
from this service (drf-spectacular-sidecar), never a CDN, and the page runs under the
site's Content Security Policy: its start-up script is a separate file, not inline."""

from __future__ import annotations

from typing import ClassVar

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny


class SchemaView(SpectacularAPIView):
    authentication_classes: ClassVar = []
    permission_classes: ClassVar = [AllowAny]


class DocsView(SpectacularSwaggerSplitView):
    authentication_classes: ClassVar = []
    permission_classes: ClassVar = [AllowAny]
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
