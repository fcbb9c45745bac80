"""Meetings' scheduled jobs, with time frozen on their edges."""

from datetime import datetime

import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import StaffRole
from meetings import services
from meetings.models import Meeting
from meetings.tasks import mandate_nudges_task, send_meeting_reminders_task
from notifications.models import Message
from notifications.services import notifications_deliver_due
from tests.factories import make_akim, make_staff
from tests.meetings.factories import make_meeting, make_registration

R = "meetings.reminder"


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def reminders(meeting=None):
    queryset = Message.objects.filter(kind=R)
    return queryset.filter(dedupe_key__startswith=f"meetings:{meeting.pk}:") if meeting else queryset


def test_the_24h_reminder_goes_out_exactly_24_hours_before_and_only_once(almaly):
    meeting = make_meeting(almaly, starts_at=local(2026, 12, 10, 18, 0))
    with time_machine.travel(local(2026, 12, 1, 10, 0), tick=False):
        registration = make_registration(meeting, language="ru")

    with time_machine.travel(local(2026, 12, 9, 16, 59, 59), tick=False):  # 25 h and a second before
        assert send_meeting_reminders_task() == 0
    with time_machine.travel(local(2026, 12, 9, 17, 0), tick=False):  # the lookahead opens: queued, not yet due
        assert send_meeting_reminders_task() == 1
        assert notifications_deliver_due() == 0
    with time_machine.travel(local(2026, 12, 9, 17, 59, 59), tick=False):
        assert send_meeting_reminders_task() == 0  # a second run queues nothing
        assert notifications_deliver_due() == 0
    with time_machine.travel(local(2026, 12, 9, 18, 0), tick=False):  # exactly 24 h before
        assert notifications_deliver_due() == 1
        assert send_meeting_reminders_task() == 0
        assert notifications_deliver_due() == 0
    (email,) = mail.outbox
    assert email.to == [registration.email]
    assert email.subject.startswith("Завтра:")
    assert "TZID=Asia/Almaty" in email.attachments[0][1]


def test_the_2h_reminder_follows_and_carries_the_livestream_link(almaly):
    meeting = make_meeting(almaly, starts_at=local(2026, 12, 10, 18, 0), livestream_url="https://youtube.com/live/x")
    with time_machine.travel(local(2026, 12, 1), tick=False):
        make_registration(meeting, language="kk")
    for moment in [local(2026, 12, 9, 18, 0), local(2026, 12, 10, 15, 0), local(2026, 12, 10, 16, 0)]:
        with time_machine.travel(moment, tick=False):
            send_meeting_reminders_task()
            notifications_deliver_due()
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Ертең", "2 сағаттан кейін"]
    assert "https://youtube.com/live/x" in mail.outbox[1].body


def test_no_reminder_for_the_waiting_list_a_late_registration_or_a_draft(almaly):
    meeting = make_meeting(almaly, starts_at=local(2026, 12, 10, 18, 0))
    draft = make_meeting(almaly, starts_at=local(2026, 12, 10, 18, 0), status=Meeting.Status.DRAFT)
    with time_machine.travel(local(2026, 12, 1), tick=False):
        make_registration(meeting, status="waitlisted")
        make_registration(draft)
    with time_machine.travel(local(2026, 12, 9, 20, 0), tick=False):
        make_registration(meeting)  # after the 24 h moment: the confirmation said everything
        assert send_meeting_reminders_task() == 0


def test_a_reschedule_tells_registrants_at_once_and_moves_their_reminders(almaly, almaly_staff):
    make_akim(almaly, full_name_kk="Әкім")
    meeting = make_meeting(almaly, starts_at=local(2026, 12, 10, 18, 0))
    with time_machine.travel(local(2026, 12, 1), tick=False):
        make_registration(meeting, language="ru")
    with time_machine.travel(local(2026, 12, 9, 17, 30), tick=False):
        send_meeting_reminders_task()
        assert reminders(meeting).filter(status="pending").count() == 1
        services.meeting_reschedule(
            meeting=meeting, actor=almaly_staff, starts_at=local(2026, 12, 17, 18, 0), ends_at=local(2026, 12, 17, 20)
        )
        assert reminders(meeting).filter(status="pending").count() == 0
        assert notifications_deliver_due() == 1
    assert mail.outbox[0].subject.startswith("Новое время:")
    with time_machine.travel(local(2026, 12, 16, 18, 0), tick=False):
        assert send_meeting_reminders_task() == 1
        assert notifications_deliver_due() == 1


def test_a_cancellation_tells_everyone_registered_or_waiting(almaly, almaly_staff):
    meeting = make_meeting(almaly, starts_at=local(2026, 12, 10, 18, 0))
    with time_machine.travel(local(2026, 12, 1), tick=False):
        make_registration(meeting)
        make_registration(meeting, status="waitlisted")
        services.meeting_cancel(meeting=meeting, actor=almaly_staff, reason="Зал жөнделуде")
        assert notifications_deliver_due() == 2
    assert all("Зал жөнделуде" in m.body for m in mail.outbox)
    with time_machine.travel(local(2026, 12, 9, 18, 0), tick=False):
        assert send_meeting_reminders_task() == 0


def test_a_freed_seat_tells_the_first_in_line(almaly):
    meeting = make_meeting(almaly, starts_at=local(2026, 12, 10, 18, 0), capacity=1)
    with time_machine.travel(local(2026, 12, 1), tick=False):
        first = services.registration_create(meeting=meeting, name="Бірінші", email="first@example.kz")
        services.registration_create(meeting=meeting, name="Екінші", email="second@example.kz", language="ru")
        services.registration_cancel(registration=first)
        notifications_deliver_due()
    promoted = [m for m in mail.outbox if m.to == ["second@example.kz"]]
    assert [m.subject.split(":")[0] for m in promoted] == ["Ваша регистрация", "Место ваше"]


def test_mandate_nudges_30_and_7_days_before_the_quarter_ends_in_local_time(almaly, medeu):
    make_akim(almaly, full_name_kk="Алмалы әкімі")
    make_akim(medeu, full_name_kk="Медеу әкімі")
    staff = make_staff(almaly, StaffRole.Role.AKIMAT_STAFF, email="almaly@example.kz", username="a")
    make_staff(medeu, StaffRole.Role.AKIMAT_STAFF, email="medeu@example.kz", username="m")
    make_meeting(medeu, starts_at=local(2026, 12, 20, 11, 0))  # Medeu has its Q4 report scheduled

    # Q4 ends with 31 December. 2 December 00:00 in Almaty (30 days left) is still 1 December in
    # UTC: the local date decides.
    with time_machine.travel(local(2026, 12, 1, 23, 59), tick=False):
        assert mandate_nudges_task() == 0
    with time_machine.travel(local(2026, 12, 2, 0, 0), tick=False):
        assert mandate_nudges_task() == 1
        assert mandate_nudges_task() == 0
    with time_machine.travel(local(2026, 12, 24, 9, 0), tick=False):
        assert mandate_nudges_task() == 0  # 8 days left
    with time_machine.travel(local(2026, 12, 25, 9, 0), tick=False):
        assert mandate_nudges_task() == 1  # 7 days left
        notifications_deliver_due()
    assert [m.to for m in mail.outbox] == [[staff.email], [staff.email]]
    assert "7" in mail.outbox[1].body
