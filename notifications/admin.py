from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications import services
from notifications.models import Message, Preference, Unsubscription
from notifications.selectors import outbox_counts


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("kind", "channel", "status", "attempts", "due_at", "sent_at", "short_error")
    list_filter = ("status", "channel", "kind")
    search_fields = ("dedupe_key", "kind")
    readonly_fields = [f.name for f in Message._meta.fields]
    actions = ["retry"]
    date_hierarchy = "due_at"

    @admin.display(description=_("last error"))
    def short_error(self, message: Message) -> str:
        return message.last_error[:80]

    def has_add_permission(self, request) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        counts = outbox_counts()
        extra_context = {**(extra_context or {}), "title": _("Outbox: %(pending)s pending, %(failed)s failed") % counts}
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Retry the selected failed messages"))
    def retry(self, request, queryset):
        retried = 0
        for message in queryset.filter(status=Message.Status.FAILED):
            services.notification_retry(message=message)
            retried += 1
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", retried)
            % {"count": retried},
            messages.SUCCESS,
        )


@admin.register(Unsubscription)
class UnsubscriptionAdmin(admin.ModelAdmin):
    list_display = ("kind", "created_at")
    list_filter = ("kind",)


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "email", "sms")
    list_filter = ("kind",)
    autocomplete_fields = ("user",)
