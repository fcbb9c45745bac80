"""What the reports app puts on the staff workspace's front page (accounts.workspace)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.workspace import Figure, Link, Tool
from reports import selectors
from reports.permissions import is_reports_staff


def report_tools(user: User) -> list[Tool]:
    """Reports and action plans belong to the akimat's own staff."""
    if not is_reports_staff(user):
        return []
    counts = selectors.reports_workspace_counts(user=user)
    reports = reverse("reports:staff-list")
    return [
        Tool(
            title=_("Reports"),
            url=reports,
            description=_("Write, preview and publish the reports of meetings, in Kazakh and Russian."),
            figures=(Figure(_("Drafts"), counts["drafts"], url=f"{reports}?status=draft"),),
            links=(Link(_("Write a report"), reverse("reports:staff-create")),),
            position=50,
        ),
        Tool(
            title=_("Action plans"),
            url=reverse("reports:staff-plans"),
            description=_("Items with a department, a deadline, a budget and progress."),
            figures=(
                Figure(_("At risk"), counts["at_risk"], alert=True),
                Figure(_("Overdue"), counts["overdue"], alert=True),
            ),
            position=60,
        ),
        Tool(
            title=_("Import a press release"),
            url=reverse("reports:staff-import"),
            description=_("A Markdown file in Kazakh and Russian becomes a draft report."),
            position=70,
        ),
    ]
