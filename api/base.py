"""What every API view shares: token authentication only, the client's scope, the
per-client throttle, JSON in and out, and problem details for every refusal."""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.utils import OpenApiResponse
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from .auth import HasScope, PerClientThrottle, SystemClientAuthentication
from .problems import PROBLEM_JSON, TITLES
from .serializers import ProblemSerializer


class ApiView(APIView):
    authentication_classes: ClassVar = [SystemClientAuthentication]
    permission_classes: ClassVar = [HasScope]
    throttle_classes: ClassVar = [PerClientThrottle]
    parser_classes: ClassVar = [JSONParser]
    renderer_classes: ClassVar = [JSONRenderer]
    required_scope: ClassVar[str] = ""


def problem_responses(*codes: int) -> dict[Any, Any]:
    """Schema entries for refusals, as application/problem+json."""
    return {
        (code, PROBLEM_JSON): OpenApiResponse(response=ProblemSerializer, description=TITLES.get(code, "Error"))
        for code in codes
    }
