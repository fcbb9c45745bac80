from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyclesConfig(AppConfig):
    name = "cycles"
    verbose_name = _("Meeting cycles")

    def ready(self) -> None:
        from accounts import workspace
        from cycles.workspace import cycle_tools

        workspace.register(cycle_tools)
