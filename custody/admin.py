"""Django admin of the custody app: configuration only (never custody records)."""

from django.contrib import admin

from safeguarding.accounts.admin import ConfigAdmin, admin_site

from .models import ScreeningOffence


@admin.register(ScreeningOffence, site=admin_site)
class ScreeningOffenceAdmin(ConfigAdmin):
    list_display = ["label", "weight", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["label", "phrases"]
    fields = ["label", "phrases", "weight", "is_active"]

    def save_model(self, request, obj, form, change):
        from django.utils import timezone

        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)
