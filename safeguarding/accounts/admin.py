"""Django admin: configuration only (agencies, teams, accounts' settings) —
never people, cases or referrals. Second factor required (OTPAdminSite)."""

from functools import wraps

from django.contrib import admin
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.admin import OTPAdminSite

from safeguarding.core.access import is_signed_in, is_verified

from .models import Agency, Team, User


class SafeguardingAdminSite(OTPAdminSite):
    site_header = "Safeguarding configuration"
    site_title = "Safeguarding configuration"
    index_title = "Configuration"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and is_signed_in(user) and user.role == User.Role.ADMIN and is_verified(user))

    def _signed_in_outsider(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(is_signed_in(user) and is_verified(user) and not self.has_permission(request))

    def admin_view(self, view, cacheable=False):
        wrapped = super().admin_view(view, cacheable)

        @wraps(view)
        def inner(request, *args, **kwargs):
            # A fully signed-in user who is not an admin would be sent to the admin's
            # sign-in, which sends a signed-in user back here, for ever: there is
            # nothing here for them.
            if self._signed_in_outsider(request):
                raise Http404
            return wrapped(request, *args, **kwargs)

        return inner

    def logout(self, request, extra_context=None):
        # Sign out through the service, so that it is audited and the session untracked.
        from .services import sign_out

        if request.method == "POST":
            sign_out(request=request, reason="admin")
        return redirect("accounts:sign_in")

    def password_change(self, request, extra_context=None):
        # Passwords change only through the email reset, which ends every session.
        return redirect("accounts:password_reset")

    def login(self, request, extra_context=None):
        if self._signed_in_outsider(request):
            raise Http404
        # One way in: the service's own sign-in with its second factor.
        return redirect(f"{reverse('accounts:sign_in')}?next={reverse('admin:index')}")


admin_site = SafeguardingAdminSite(name="admin")


class ConfigAdmin(admin.ModelAdmin):
    """Admins of the service may change configuration models; nobody else may."""

    def has_module_permission(self, request):
        return request.user.role == User.Role.ADMIN

    def has_view_permission(self, request, obj=None):
        return request.user.role == User.Role.ADMIN

    def has_add_permission(self, request):
        return request.user.role == User.Role.ADMIN

    def has_change_permission(self, request, obj=None):
        return request.user.role == User.Role.ADMIN

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agency, site=admin_site)
class AgencyAdmin(ConfigAdmin):
    list_display = ["name", "kind", "contact_email", "referral_inbox_email", "is_active"]
    list_filter = ["kind", "is_active", "is_decision_panel"]
    search_fields = ["name"]


@admin.register(Team, site=admin_site)
class TeamAdmin(ConfigAdmin):
    list_display = ["name", "agency", "contact_email", "is_active"]
    list_filter = ["agency", "is_active"]
    filter_horizontal = ["supervisors"]
    search_fields = ["name"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "supervisors":
            kwargs["queryset"] = User.objects.filter(role=User.Role.SUPERVISOR, is_active=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
