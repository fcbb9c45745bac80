from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from open311 import services
from open311.models import ApiKey, Submission


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are issued here (the key is shown once, then only its hash is kept) and revoked
    with the action; a revoked key stays listed, with its submissions, and never works again."""

    list_display = ["owner", "prefix", "requests_per_hour", "is_active", "created_at", "revoked_at"]
    list_filter = ["is_active"]
    search_fields = ["owner", "prefix"]
    fields = ["owner", "requests_per_hour", "prefix", "is_active", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "is_active", "created_at", "revoked_at"]
    actions = ["revoke"]

    def save_model(self, request, obj: ApiKey, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        raw_key = services.api_key_issue(api_key=obj)
        messages.warning(
            request,
            gettext("The new key for %(owner)s is %(key)s — copy it now: it is not shown again.")
            % {"owner": obj.owner, "key": raw_key},
        )

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset) -> None:
        for api_key in queryset:
            services.api_key_revoke(api_key=api_key)
        messages.success(request, gettext("The selected keys are revoked."))

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoke instead: the submissions keep saying which key sent them


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["question", "api_key", "created_at"]
    list_select_related = ["question", "api_key"]
    readonly_fields = ["question", "api_key", "token", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
