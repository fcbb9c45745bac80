from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyclesConfig(AppConfig):
    name = "cycles"
    verbose_name = _("Meeting cycles")

    def ready(self) -> None:
        from accounts import workspace
        from cycles.exports import DATASET
        from cycles.workspace import cycle_tools
        from reports import exports

        workspace.register(cycle_tools)
        exports.register(DATASET)
