from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from accounts.permissions import covered_units_q
from cycles.models import Cycle, CycleMeeting, Programme


class CycleMeetingInline(admin.TabularInline):
    model = CycleMeeting
    extra = 0
    raw_id_fields = ["meeting"]


@admin.register(Cycle)
class CycleAdmin(TranslationAdmin):
    list_display = ["title", "unit", "kind", "number", "starts_on", "ends_on", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["title_kk", "title_ru", "slug"]
    autocomplete_fields = ["unit"]
    raw_id_fields = ["host", "created_by"]
    inlines = [CycleMeetingInline]

    def get_queryset(self, request):
        # Staff with admin access see only the cycles of the territories they cover.
        return super().get_queryset(request).filter(covered_units_q(request.user, prefix="unit__"))


@admin.register(Programme)
class ProgrammeAdmin(TranslationAdmin):
    list_display = ["title", "unit", "slug", "is_demo"]
    search_fields = ["title_kk", "title_ru", "slug"]
    autocomplete_fields = ["unit"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(covered_units_q(request.user, prefix="unit__"))
