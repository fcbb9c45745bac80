import pytest
from django.core.management import call_command

from meetings.models import Meeting
from reports.models import ActionItem, ActionPlan, Report

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_a_report_per_held_meeting_and_plans_with_items_at_risk_once():
    call_command("seed_demo", verbosity=0)
    counts = (Report.objects.count(), ActionPlan.objects.count(), ActionItem.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Report.objects.count(), ActionPlan.objects.count(), ActionItem.objects.count()) == counts
    held = Meeting.objects.filter(is_demo=True, status="held").count()
    assert held and Report.objects.published().filter(is_demo=True).count() == held
    assert ActionItem.objects.at_risk().exists() and ActionItem.objects.filter(status="done").exists()
    assert ActionItem.objects.filter(questions__isnull=False).exists()
