"""The staff workspace's front page: every tool the person's roles open, with live counts.

Each app contributes its own tools (accounts knows none of them, as notifications knows no
message kinds): it registers a provider in its AppConfig.ready(). A provider takes the user and
returns the tools its app opens for them, asking its own permissions.py which ones, with
counts computed in a fixed number of queries over the territories the role covers (aggregates,
never a query per row).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import is_administrator, is_staff_member


@dataclass(frozen=True)
class Figure:
    """A live count on a tool's card: "3 new", "1 overdue"."""

    label: str | Promise
    value: int
    url: str = ""
    # Something is late (overdue, missing): the card shows it in the danger colour when not zero.
    alert: bool = False
    # The count stopped at `value` and there are more: shown as "1 000+".
    more: bool = False


@dataclass(frozen=True)
class Link:
    label: str | Promise
    url: str


@dataclass(frozen=True)
class Tool:
    title: str | Promise
    url: str
    description: str | Promise = ""
    figures: tuple[Figure, ...] = ()
    links: tuple[Link, ...] = ()
    # Cards are shown in this order: the day's work first, administration last.
    position: int = 100


Provider = Callable[[User], list[Tool]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def workspace_tools(user: User) -> list[Tool]:
    tools = [tool for provider in _providers for tool in provider(user)]
    return sorted(tools, key=lambda tool: tool.position)


def account_tools(user: User) -> list[Tool]:
    """The administrator's own tools, and every staff member's sign-in settings."""
    tools = []
    if is_administrator(user):
        tools += [
            Tool(
                title=_("Audit trail"),
                url=reverse("accounts:audit"),
                description=_("Who changed what, and when."),
                position=90,
            ),
            Tool(
                title=_("Administration"),
                url=reverse("admin:index"),
                description=_("Territories, akims, departments, categories, staff accounts and reporting rules."),
                position=95,
            ),
        ]
    if is_staff_member(user):
        tools.append(
            Tool(
                title=_("Your account"),
                url=reverse("accounts:password_change"),
                description=_("Password and two-factor sign-in."),
                links=(
                    Link(_("Change the password"), reverse("accounts:password_change")),
                    Link(_("Two-factor sign-in"), reverse("accounts:two_factor_setup")),
                ),
                position=99,
            )
        )
    return tools
