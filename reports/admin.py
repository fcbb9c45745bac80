"""Read-only admin views: reports and plans change in the staff workspace, where every change
is recorded as an event. Administrators see what the one permission policy lets them see."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from reports.models import ActionItem, ActionItemEvent, ActionPlan, Report, ReportEvent
from reports.permissions import managed_q


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReportEventInline(ReadOnlyMixin, admin.TabularInline):
    model = ReportEvent
    extra = 0
    fields = ["kind", "actor", "at", "from_status", "to_status", "changes", "note"]
    readonly_fields = fields


@admin.register(Report)
class ReportAdmin(ReadOnlyMixin, TranslationAdmin):
    list_display = ["title", "unit", "status", "published_at", "slug"]
    list_filter = ["status"]
    search_fields = ["title_kk", "title_ru", "slug"]
    inlines = [ReportEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(managed_q(request.user)).select_related("unit")


class ActionItemEventInline(ReadOnlyMixin, admin.TabularInline):
    model = ActionItemEvent
    extra = 0
    fields = ["kind", "actor", "at", "from_status", "to_status", "from_progress", "to_progress", "note"]
    readonly_fields = fields


@admin.register(ActionPlan)
class ActionPlanAdmin(ReadOnlyMixin, TranslationAdmin):
    list_display = ["title", "unit", "period_start", "period_end"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(managed_q(request.user)).select_related("unit")


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyMixin, TranslationAdmin):
    list_display = ["title", "plan", "due_on", "status", "progress", "budget"]
    list_filter = ["status", "funding"]
    inlines = [ActionItemEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(managed_q(request.user, prefix="plan__unit__"))
