"""Django admin of the custody app: configuration only (never custody records)."""

from django.contrib import admin

from safeguarding.accounts.admin import ConfigAdmin, admin_site

from .models import ColumnMapping, ControlledDrug, OffenceCode, ScreeningOffence


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


@admin.register(ControlledDrug, site=admin_site)
class ControlledDrugAdmin(ConfigAdmin):
    """Drug names screening maps to their class (shipped from the Misuse of Drugs Act 1971, Schedule 2)."""

    list_display = ["name", "drug_class", "is_active", "source", "updated_at"]
    list_filter = ["drug_class", "is_active"]
    search_fields = ["name", "other_names"]
    fields = ["name", "drug_class", "other_names", "source", "is_active"]

    def save_model(self, request, obj, form, change):
        from django.utils import timezone

        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(OffenceCode, site=admin_site)
class OffenceCodeAdmin(ConfigAdmin):
    """Offence codes (Home Office, CJS) and the marker each gives; a code wins over the wording."""

    list_display = ["code", "marker", "description", "is_active"]
    list_filter = ["is_active", "marker"]
    search_fields = ["code", "marker", "description"]
    fields = ["code", "marker", "description", "is_active"]

    def save_model(self, request, obj, form, change):
        from django.utils import timezone

        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(ColumnMapping, site=admin_site)
class ColumnMappingAdmin(ConfigAdmin):
    """Column matchings teams saved on uploading a list; applied to their next list with the same headings."""

    list_display = ["__str__", "team", "updated_by", "updated_at"]
    list_filter = ["team"]
    fields = ["team", "headings", "mapping", "signature", "updated_by", "updated_at"]
    readonly_fields = ["signature", "headings", "updated_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        from django.utils import timezone

        obj.updated_by = request.user
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


# --- The 48-hour checklist templates (custody.clock) -----------------------------------
#
# A template version is edited only while it is a draft: neither active nor used by a
# checklist. To change the checklist, copy the active version as a new draft, edit it,
# then activate it; running checklists keep the version they started with.

from django.contrib import messages  # noqa: E402
from django.db.models import Count, Max  # noqa: E402

from safeguarding.accounts.models import User  # noqa: E402
from safeguarding.audit.models import AuditEvent  # noqa: E402
from safeguarding.audit.services import audit_record  # noqa: E402

from .models import ChecklistTemplate, ChecklistTemplateItem  # noqa: E402


def _template_is_draft(template) -> bool:
    return template is not None and template.pk is not None and not template.is_active and not template.is_in_use


class ChecklistTemplateItemInline(admin.TabularInline):
    model = ChecklistTemplateItem
    extra = 0
    fields = [
        "position",
        "code",
        "title",
        "due_offset_minutes",
        "owner_rule",
        "condition",
        "not_applicable_reason",
        "guidance",
    ]
    ordering = ["position"]

    def _is_admin(self, request) -> bool:
        return request.user.role == User.Role.ADMIN

    def has_view_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_add_permission(self, request, obj=None):
        return self._is_admin(request) and (obj is None or _template_is_draft(obj))

    def has_change_permission(self, request, obj=None):
        return self._is_admin(request) and (obj is None or _template_is_draft(obj))

    def has_delete_permission(self, request, obj=None):
        return self._is_admin(request) and obj is not None and _template_is_draft(obj)


@admin.register(ChecklistTemplate, site=admin_site)
class ChecklistTemplateAdmin(ConfigAdmin):
    list_display = ["version", "name", "is_active", "activated_at", "checklists_started", "created_at"]
    list_filter = ["is_active"]
    ordering = ["-version"]
    fields = ["name", "notes", "version", "is_active", "activated_at", "created_at"]
    readonly_fields = ["version", "is_active", "activated_at", "created_at"]
    inlines = [ChecklistTemplateItemInline]
    actions = ["copy_as_new_version", "activate_version"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(started=Count("checklists"))

    @admin.display(description="Checklists started", ordering="started")
    def checklists_started(self, obj) -> int:
        return obj.started

    def has_change_permission(self, request, obj=None):
        # The change page stays readable; only drafts can be saved.
        return super().has_change_permission(request, obj) and (obj is None or _template_is_draft(obj))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.version = (ChecklistTemplate.objects.aggregate(v=Max("version"))["v"] or 0) + 1
            obj.is_active = False
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        audit_record(
            action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
            request=request,
            obj=obj,
            summary=f"Checklist template version {obj.version} {'changed' if change else 'drafted'}",
        )

    @admin.action(description="Copy as a new draft version")
    def copy_as_new_version(self, request, queryset):
        from custody.clock.services import template_new_version

        for template in queryset:
            new = template_new_version(actor=request.user, source=template)
            messages.success(
                request, f"Version {new.version} drafted from version {template.version}: edit it, then activate it."
            )

    @admin.action(description="Activate (new checklists use this version)")
    def activate_version(self, request, queryset):
        from custody.clock.services import ChecklistError, template_activate

        if queryset.count() != 1:
            messages.error(request, "Choose exactly one version to activate.")
            return
        try:
            template = template_activate(actor=request.user, template=queryset.get())
        except ChecklistError as exc:
            messages.error(request, str(exc))
            return
        messages.success(request, f"Version {template.version} is now active. Running checklists keep their version.")
