"""The access spine: decorators and helpers every view uses.

* Every view needs a signed-in user who has passed the second factor, unless it
  is marked ``login_not_required`` (Django's decorator) or
  ``second_factor_not_required`` (only the sign-in steps and sign-out).
* ``role_required`` refuses a page to other roles with 403 (the page's existence
  is no secret); a *record* outside the user's scope answers 404 through
  ``get_for_user_or_404``, exactly as if it did not exist, and writes an
  ``access_denied`` audit row.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record

M = TypeVar("M", bound=Model)


def second_factor_not_required(view: Callable) -> Callable:
    view.second_factor_required = False
    return view


def role_required(*roles: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if request.user.role not in roles:
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator


def require_editor(user: User) -> None:
    """403 for a role that reads case content but does not change it (the force lead);
    the guard of every page and service that changes a young person, a case or what
    hangs off them. Scope is the selectors' business, not this guard's."""
    if user.role not in User.Role.case_editors():
        raise PermissionDenied("Your role can read these records but not change them.")


def get_for_user_or_404(*, request: HttpRequest, visible: QuerySet[M], pk: object) -> M:
    """The object with this pk if the user may see it; else 404, auditing the refusal
    when the object does exist (an attempt to reach outside one's scope)."""
    try:
        return visible.get(pk=pk)
    except (visible.model.DoesNotExist, ValueError, TypeError):
        pass
    try:
        exists = visible.model._default_manager.filter(pk=pk).exists()
    except (ValueError, TypeError):
        exists = False
    if exists:
        audit_record(
            action=AuditEvent.Action.ACCESS_DENIED,
            request=request,
            object_type=visible.model._meta.label_lower,
            object_id=pk,
        )
    raise Http404("No such record.")
