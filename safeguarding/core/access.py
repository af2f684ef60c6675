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
from typing import Any, Protocol, TypeGuard, TypeVar, cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record

M = TypeVar("M", bound=Model)
View = TypeVar("View", bound=Callable[..., HttpResponseBase])


class AuthenticatedRequest(HttpRequest):
    """The request of every view behind RequireSecondFactorMiddleware, which is every
    view except the public sign-in, activation and password-reset ones (marked
    ``login_not_required``): by the time the view runs, the user is signed in (and has
    passed the second factor, unless the view is ``second_factor_not_required``), so
    ``request.user`` is a User, never AnonymousUser. Only an annotation: Django still
    passes its own request class."""

    user: User


class _OTPUser(Protocol):
    def is_verified(self) -> bool: ...


def is_signed_in(user: User | AnonymousUser) -> TypeGuard[User]:
    """Whether the request's user is a signed-in User (not AnonymousUser)."""
    return user.is_authenticated


def is_verified(user: User) -> bool:
    """Whether the user passed the second factor on this request. django-otp's
    OTPMiddleware gives the request's user an ``is_verified()`` method at run time,
    which the User class does not declare."""
    return cast(_OTPUser, user).is_verified()


def second_factor_not_required(view: View) -> View:
    view.second_factor_required = False  # type: ignore[attr-defined]  # a marker the middleware reads off the function
    return view


def role_required(*roles: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.user.role not in roles:
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = roles  # type: ignore[attr-defined]  # a marker the access-matrix test reads
        return cast(View, wrapped)

    return decorator


def require_editor(user: User) -> None:
    """403 for a role that reads case content but does not change it (the force lead);
    the guard of every page and service that changes a young person, a case or what
    hangs off them. Scope is the selectors' business, not this guard's."""
    if user.role not in User.Role.case_editors():
        raise PermissionDenied("Your role can read these records but not change them.")


def get_for_user_or_404(*, request: HttpRequest, visible: QuerySet[M], pk: int | str) -> M:
    """The object with this pk if the user may see it; else 404, auditing the refusal
    when the object does exist (an attempt to reach outside one's scope)."""
    try:
        return visible.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):  # .get() raises only visible.model.DoesNotExist
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
