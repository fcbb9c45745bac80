from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from notifications import kinds

        # A message administrators send to check that a channel works (send_test_notification).
        kinds.register("notifications.check", _("Channel check"), essential=True, for_staff=True)
