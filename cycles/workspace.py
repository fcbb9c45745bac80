"""What the cycles app puts on the staff workspace's front page (accounts.workspace)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.workspace import Link, Tool
from cycles.permissions import is_cycle_staff


def cycle_tools(user: User) -> list[Tool]:
    if not is_cycle_staff(user):
        return []
    return [
        Tool(
            title=_("Meeting cycles"),
            url=reverse("cycles:staff-list"),
            description=_("A meeting in every district in one form; the cycle's figures and its press-release draft."),
            links=(Link(_("Create a meeting cycle"), reverse("cycles:staff-create")),),
            position=25,
        )
    ]
