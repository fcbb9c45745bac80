from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from accounts.permissions import covered_units_q
from questions.models import Category, Question, QuestionEvent


@admin.register(Category)
class CategoryAdmin(TranslationAdmin):
    list_display = ["name", "slug", "position", "is_active"]
    list_editable = ["position", "is_active"]


class QuestionEventInline(admin.TabularInline):
    model = QuestionEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "actor", "at", "from_status", "to_status", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the workspace, so that it is recorded as an event."""

    list_display = ["pk", "unit", "category", "status", "source", "due_on", "created_at"]
    list_filter = ["status", "source", "category", "is_official_appeal"]
    search_fields = ["text", "pk"]
    list_select_related = ["unit", "category"]
    inlines = [QuestionEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(covered_units_q(request.user, prefix="unit__"))

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
