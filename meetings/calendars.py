"""iCalendar output: one event per meeting, in Asia/Almaty time with its VTIMEZONE."""

from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Meeting

TZID = "Asia/Almaty"


def meeting_uid(meeting: Meeting) -> str:
    """Stable for the meeting's whole life, so calendars update the event instead of adding one."""
    host = urlsplit(settings.SITE_URL).hostname or "kezdesu.kz"
    return f"meeting-{meeting.pk}@{host}"


def _event(meeting: Meeting) -> icalendar.Event:
    zone = ZoneInfo(TZID)
    url = settings.SITE_URL + meeting.get_absolute_url()
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", meeting.updated_at or timezone.now())
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", meeting.title)
    description = [meeting.description] if meeting.description else []
    if meeting.livestream_url:
        description.append(_("Livestream: %(url)s") % {"url": meeting.livestream_url})
    description.append(url)
    event.add("description", "\n\n".join(description))
    event.add("url", url)
    if meeting.venue_id:
        event.add("location", f"{meeting.venue.name}, {meeting.venue.address}")
        if meeting.venue.latitude is not None:
            event.add("geo", (float(meeting.venue.latitude), float(meeting.venue.longitude)))
    if meeting.livestream_url:
        event.add("conference", meeting.livestream_url, parameters={"VALUE": "URI"})
    event.add("categories", [meeting.get_kind_display()])
    if meeting.status == Meeting.Status.CANCELLED:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    return event


def calendar_build(meetings: Iterable[Meeting], *, name: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Kezdesu//Meetings//KK-RU")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    for meeting in meetings:
        calendar.add_component(_event(meeting))
    calendar.add_missing_timezones()
    if not any(component.name == "VTIMEZONE" for component in calendar.subcomponents):
        # An empty feed still tells clients its zone.
        calendar.add_component(icalendar.Timezone.from_tzid(TZID))
    return calendar.to_ical()
