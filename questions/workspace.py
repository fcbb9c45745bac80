"""What the questions app puts on the staff workspace's front page (accounts.workspace)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import roles_of
from accounts.workspace import Figure, Link, Tool
from questions import permissions, selectors


def question_tools(user: User) -> list[Tool]:
    """The queue as the role sees it: staff and moderators triage what is new; a department
    officer answers what was assigned to the department."""
    if not permissions.is_question_staff(user):
        return []
    counts = selectors.staff_queue_counts(user=user)
    roles = roles_of(user)
    queue = reverse("questions:staff")

    def figure(label, name: str, alert: bool = False) -> Figure:
        value, limit = counts[name], selectors.QUEUE_COUNT_LIMIT
        return Figure(label, min(value, limit), url=f"{queue}?queue={name}", alert=alert, more=value > limit)

    figures = []
    if roles & set(permissions.TRIAGE_ROLES):
        figures.append(figure(_("New: to triage"), selectors.QUEUE_TRIAGE))
    if permissions.officer_departments(user):
        figures.append(figure(_("My department"), selectors.QUEUE_DEPARTMENT))
    figures += [
        figure(_("Due soon"), selectors.QUEUE_DUE_SOON),
        figure(_("Overdue"), selectors.QUEUE_OVERDUE, alert=True),
    ]
    links = ()
    if roles & set(permissions.MANAGE_ROLES):
        links = (Link(_("Record a question raised aloud or on paper"), reverse("questions:staff_enter")),)
    return [
        Tool(
            title=_("Residents' questions"),
            url=queue,
            description=_("Triage, route and answer questions before their legal deadline."),
            figures=tuple(figures),
            links=links,
            position=10,
        )
    ]
