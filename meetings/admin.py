from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from accounts.permissions import covered_units_q
from meetings import services
from meetings.models import (
    AgendaItem,
    MandateRule,
    MandateRuleSet,
    Meeting,
    MeetingEvent,
    PlanItem,
    ReceptionSlot,
    Registration,
    Speaker,
    Venue,
)
from meetings.permissions import can_manage_meetings


class _CoveredAdmin(admin.ModelAdmin):
    """Staff with admin access see only rows of the territories they cover."""

    unit_prefix = "unit__"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(covered_units_q(request.user, prefix=self.unit_prefix))


@admin.register(Venue)
class VenueAdmin(_CoveredAdmin, TranslationAdmin):
    list_display = ["name", "unit", "capacity", "address"]
    list_filter = ["unit__kind"]
    search_fields = ["name_kk", "name_ru", "address_kk", "address_ru"]
    autocomplete_fields = ["unit"]


class SpeakerInline(TranslationTabularInline):
    model = Speaker
    extra = 0


class AgendaInline(TranslationTabularInline):
    model = AgendaItem
    extra = 0


class SlotInline(TranslationTabularInline):
    model = ReceptionSlot
    extra = 0


class EventInline(admin.TabularInline):
    model = MeetingEvent
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in MeetingEvent._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(_CoveredAdmin, TranslationAdmin):
    """Times and status change only through the workspace (services record the history)."""

    list_display = ["title", "unit", "kind", "starts_at", "status", "capacity"]
    list_filter = ["status", "kind"]
    search_fields = ["title_kk", "title_ru"]
    date_hierarchy = "starts_at"
    readonly_fields = ["status", "starts_at", "ends_at", "attendance", "sequence", "created_by", "cancel_reason"]
    autocomplete_fields = ["unit"]
    inlines = [SpeakerInline, AgendaInline, SlotInline, EventInline]

    def has_add_permission(self, request):
        return False  # scheduling checks the rules: use the meetings workspace

    def has_change_permission(self, request, obj=None):
        return obj is None or can_manage_meetings(request.user, obj.unit)


@admin.register(Registration)
class RegistrationAdmin(_CoveredAdmin):
    unit_prefix = "meeting__unit__"
    list_display = ["name", "meeting", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "email", "phone"]
    readonly_fields = ["meeting", "status", "created_at", "promoted_at", "cancelled_at", "user"]

    def has_add_permission(self, request):
        return False


class MandateRuleInline(admin.TabularInline):
    model = MandateRule
    extra = 0


@admin.register(MandateRuleSet)
class MandateRuleSetAdmin(TranslationAdmin):
    list_display = ["name", "slug", "is_active"]
    readonly_fields = ["is_active"]
    inlines = [MandateRuleInline]
    actions = ["activate"]

    @admin.action(description=_("Put the selected rule set in force"))
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one rule set."), messages.ERROR)
            return
        services.mandate_ruleset_activate(ruleset=queryset.get(), actor=request.user)
        self.message_user(request, _("The rule set is now in force."), messages.SUCCESS)


@admin.register(PlanItem)
class PlanItemAdmin(_CoveredAdmin, TranslationAdmin):
    list_display = ["planned_on", "title", "unit", "kind", "published_at"]
    list_filter = ["year", "kind"]
    autocomplete_fields = ["unit"]
