import csv
import io
import re

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from districts.models import AdministrativeUnit
from meetings.models import Meeting, MeetingEvent, Registration
from meetings.tokens import registration_manage_url, registration_token
from tests.factories import make_unit
from tests.meetings.factories import in_days, make_meeting, make_registration, make_slot

S = Meeting.Status


# --- Public pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_public_page_answers_in_both_languages(client, language, almaly_meeting, almaly):
    held = make_meeting(almaly, starts_at=in_days(-3), status=S.HELD)
    for path in [
        "meetings/",
        "meetings/past/",
        "meetings/calendar/",
        f"meetings/calendar/?month={in_days(10):%Y-%m}",
        "meetings/mandate/?territory=almaty",
        "meetings/plan/?territory=almaty-almaly",
        f"meetings/{almaly_meeting.pk}/",
        f"meetings/{held.pk}/",
    ]:
        response = client.get(f"/{language}/{path}")
        assert response.status_code == 200, path
        assert f'<html lang="{language}">' in response.text


def test_the_upcoming_list_shows_titles_in_the_pages_language(client, almaly_meeting):
    assert "Отчёт акима Алмалинского района" in client.get("/ru/meetings/").text
    assert "Алмалы ауданы әкімінің есебі" in client.get("/kk/meetings/").text


def test_a_draft_is_not_public(client, almaly):
    draft = make_meeting(almaly, status=S.DRAFT, title_kk="Жоба")
    assert client.get(f"/kk/meetings/{draft.pk}/").status_code == 404
    assert "Жоба" not in client.get("/kk/meetings/").text
    assert client.get(f"/kk/meetings/{draft.pk}.ics").status_code == 404


def test_my_district_is_remembered_in_the_session(client, almaly_meeting, medeu_meeting):
    client.get("/ru/meetings/?territory=almaty-medeu&remember=on")
    text = client.get("/ru/meetings/").text
    assert "Отчёт акима Медеуского района" in text
    assert "Отчёт акима Алмалинского района" not in text
    client.get("/ru/meetings/?territory=")
    assert "Отчёт акима Алмалинского района" in client.get("/ru/meetings/").text


def test_bad_filters_are_explained_and_ignored(client, almaly_meeting):
    response = client.get("/ru/meetings/?territory=atlantis&date_from=yesterday&kind=party")
    assert response.status_code == 200
    assert "Некоторые фильтры не распознаны" in response.text
    assert "Отчёт акима Алмалинского района" in response.text


def test_the_meeting_page_shows_seats_left_agenda_split_and_no_personal_data(client, almaly_meeting):
    make_registration(almaly_meeting, name="Асель Қанатқызы", email="asel@example.kz", phone="+77012345678")
    almaly_meeting.agenda.create(title_kk="Әкімнің есебі", minutes=30, is_akim_report=True, order=1)
    almaly_meeting.agenda.create(title_kk="Сұрақ-жауап", minutes=90, order=2)
    text = client.get(f"/ru/meetings/{almaly_meeting.pk}/").text
    assert 'data-seats-left="9"' in text
    assert "30 мин (25%)" in text
    for private in ("Асель", "asel@example.kz", "+77012345678"):
        assert private not in text


def test_a_resident_registers_and_gets_the_signed_link_with_the_ics(client, almaly_meeting):
    response = client.post(
        f"/ru/meetings/{almaly_meeting.pk}/register/", {"name": "Асель", "email": "asel@example.kz", "phone": ""}
    )
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == registration_manage_url(registration)
    page = client.get(response["Location"]).text
    assert "Асель, ваше место забронировано." in page
    assert f"/ru/meetings/{almaly_meeting.pk}.ics" in page
    assert 'data-seats-left="9"' in client.get(f"/ru/meetings/{almaly_meeting.pk}/").text


def test_bad_registration_input_gets_a_translated_message_and_writes_nothing(client, almaly_meeting):
    response = client.post(f"/ru/meetings/{almaly_meeting.pk}/register/", {"name": "Асель", "email": "", "phone": ""})
    assert response.status_code == 400
    assert "Укажите электронную почту или номер телефона" in response.text
    response = client.post(f"/kk/meetings/{almaly_meeting.pk}/register/", {"name": "Асель", "phone": "12345"})
    assert "Қазақстандық телефон нөмірін енгізіңіз" in response.text
    assert not Registration.objects.exists()


def test_the_signed_link_cancels_and_a_tampered_one_is_404(client, almaly_meeting):
    registration = make_registration(almaly_meeting)
    token = registration_token(registration)
    assert client.get(f"/kk/meetings/registration/{token}x/").status_code == 404
    assert client.post(f"/kk/meetings/registration/{token[:-2]}/").status_code == 404
    response = client.post(f"/ru/meetings/registration/{token}/", follow=True)
    assert "Ваша регистрация отменена." in response.text
    assert Registration.objects.get().status == Registration.Status.CANCELLED


def test_a_resident_books_a_reception_slot_and_it_shows_as_taken(client, almaly, almaly_akim):
    reception = make_meeting(almaly, kind=Meeting.Kind.RECEPTION, host=almaly_akim, starts_at=in_days(3, 10), hours=3)
    slot = make_slot(reception)
    response = client.post(f"/kk/meetings/slots/{slot.pk}/book/", {"name": "Асель", "phone": "87012345678"})
    assert response.status_code == 302
    second = client.post(f"/ru/meetings/slots/{slot.pk}/book/", {"name": "Бекзат", "phone": "87019999999"})
    assert second.status_code == 400
    assert "Это время уже занято" in second.text
    assert slot.bookings.count() == 1


# --- Calendars ------------------------------------------------------------------------------


def test_the_ics_parses_and_carries_tzid_asia_almaty_and_a_stable_uid(client, almaly_meeting, almaly_staff):
    from meetings.services import meeting_cancel, meeting_reschedule

    first = icalendar.Calendar.from_ical(client.get(f"/kk/meetings/{almaly_meeting.pk}.ics").content)
    event = first.walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Asia/Almaty"
    assert event.decoded("DTSTART") == almaly_meeting.starts_at
    assert [tz["TZID"] for tz in first.walk("VTIMEZONE")] == ["Asia/Almaty"]
    assert event["SEQUENCE"] == 0
    assert str(event["URL"]).endswith(f"/kk/meetings/{almaly_meeting.pk}/")

    meeting_reschedule(meeting=almaly_meeting, actor=almaly_staff, starts_at=in_days(11), ends_at=in_days(11, 13))
    meeting_cancel(meeting=almaly_meeting, actor=almaly_staff, reason="Ауа райы")
    last = icalendar.Calendar.from_ical(client.get(f"/ru/meetings/{almaly_meeting.pk}.ics").content).walk("VEVENT")[0]
    assert str(last["UID"]) == str(event["UID"])
    assert last["SEQUENCE"] == 2
    assert str(last["STATUS"]) == "CANCELLED"


def test_the_territory_feed_holds_the_subtree(client, almaly_meeting, medeu_meeting, almaly):
    make_meeting(almaly, status=S.DRAFT, title_kk="Жоба")
    calendar = icalendar.Calendar.from_ical(client.get("/kk/meetings/feed/almaty.ics").content)
    assert sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT")) == sorted(
        [almaly_meeting.title_kk, medeu_meeting.title_kk]
    )
    district = icalendar.Calendar.from_ical(client.get("/kk/meetings/feed/almaty-almaly.ics").content)
    assert [str(e["SUMMARY"]) for e in district.walk("VEVENT")] == [almaly_meeting.title_kk]
    assert client.get("/kk/meetings/feed/atlantis.ics").status_code == 404


# --- Staff workspace ------------------------------------------------------------------------


def test_staff_of_medeu_get_404_on_an_almaly_meeting_and_nothing_changes(client, medeu_staff, almaly_meeting):
    client.force_login(medeu_staff)
    before = Meeting.objects.filter(pk=almaly_meeting.pk).values().get()
    pk = almaly_meeting.pk
    for method, path, data in [
        ("get", f"/kk/meetings/staff/{pk}/", {}),
        ("get", f"/kk/meetings/staff/{pk}/edit/", {}),
        ("post", f"/kk/meetings/staff/{pk}/edit/", {"kind": "forum", "title_kk": "Басқа"}),
        (
            "post",
            f"/kk/meetings/staff/{pk}/reschedule/",
            {"starts_at": "2031-01-01T10:00", "ends_at": "2031-01-01T12:00"},
        ),
        ("post", f"/kk/meetings/staff/{pk}/cancel/", {"reason": "Себеп"}),
        ("post", f"/kk/meetings/staff/{pk}/held/", {"attendance": 5}),
        ("post", f"/kk/meetings/staff/{pk}/agenda/", {"title_kk": "x", "minutes": 5}),
        ("get", f"/kk/meetings/staff/{pk}/registrations.csv", {}),
        ("get", f"/kk/meetings/staff/{pk}/attendance/", {}),
    ]:
        assert getattr(client, method)(path, data).status_code == 404, path
    assert Meeting.objects.filter(pk=pk).values().get() == before
    assert not MeetingEvent.objects.exists()
    assert not almaly_meeting.agenda.exists()


def test_the_workspace_needs_a_staff_role(client, resident):
    assert client.get("/kk/meetings/staff/").status_code == 302  # to the login page
    client.force_login(resident)
    assert client.get("/kk/meetings/staff/").status_code == 403


def test_staff_schedule_a_meeting_through_the_form(client, almaly_staff, almaly, almaly_school):
    client.force_login(almaly_staff)
    response = client.post(
        "/ru/meetings/staff/new/",
        {
            "unit": "almaty-almaly",
            "kind": "reporting",
            "title_kk": "Есеп беру кездесуі",
            "title_ru": "Отчётная встреча",
            "starts_at": f"{in_days(4):%Y-%m-%d}T15:00",
            "ends_at": f"{in_days(4):%Y-%m-%d}T17:00",
            "venue": almaly_school.pk,
            "registration_open": "on",
            "publish": "on",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert (meeting.status, meeting.capacity, meeting.created_by) == (S.SCHEDULED, 10, almaly_staff)
    assert timezone.localtime(meeting.starts_at).hour == 15
    assert "Отчётная встреча" in client.get("/ru/meetings/").text


def test_staff_cannot_pick_a_territory_they_do_not_cover(client, almaly_staff, medeu):
    client.force_login(almaly_staff)
    response = client.post(
        "/ru/meetings/staff/new/",
        {
            "unit": "almaty-medeu",
            "kind": "reporting",
            "title_kk": "x",
            "starts_at": "2031-01-01T10:00",
            "ends_at": "2031-01-01T12:00",
        },
    )
    assert response.status_code == 400
    assert not Meeting.objects.exists()


def test_a_venue_clash_is_shown_on_the_form_and_nothing_is_written(client, almaly_staff, almaly_meeting, almaly_school):
    client.force_login(almaly_staff)
    day = timezone.localtime(almaly_meeting.starts_at)
    response = client.post(
        "/ru/meetings/staff/new/",
        {
            "unit": "almaty-almaly",
            "kind": "outreach",
            "title_kk": "Басқа кездесу",
            "starts_at": f"{day:%Y-%m-%d}T12:00",
            "ends_at": f"{day:%Y-%m-%d}T14:00",
            "venue": almaly_school.pk,
            "publish": "on",
        },
    )
    assert response.status_code == 400
    assert "Отчёт акима Алмалинского района" in response.text
    assert Meeting.objects.count() == 1


def test_staff_reschedule_cancel_and_see_the_history(client, almaly_staff, almaly_meeting):
    client.force_login(almaly_staff)
    new_day = in_days(15)
    response = client.post(
        f"/kk/meetings/staff/{almaly_meeting.pk}/reschedule/",
        {"starts_at": f"{new_day:%Y-%m-%d}T18:00", "ends_at": f"{new_day:%Y-%m-%d}T20:00"},
    )
    assert response.status_code == 302
    response = client.post(f"/kk/meetings/staff/{almaly_meeting.pk}/cancel/", {"reason": ""})
    assert response.status_code == 400
    client.post(f"/kk/meetings/staff/{almaly_meeting.pk}/cancel/", {"reason": "Ауа райы"})
    almaly_meeting.refresh_from_db()
    assert almaly_meeting.status == S.CANCELLED
    page = client.get(f"/ru/meetings/staff/{almaly_meeting.pk}/").text
    assert "перенесена" in page and "отменена" in page


def test_staff_are_warned_when_the_akims_report_takes_more_than_a_quarter(client, almaly_staff, almaly_meeting):
    client.force_login(almaly_staff)
    client.post(
        f"/ru/meetings/staff/{almaly_meeting.pk}/agenda/",
        {"title_kk": "Әкімнің есебі", "minutes": 40, "is_akim_report": "on"},
    )
    page = client.get(f"/ru/meetings/staff/{almaly_meeting.pk}/").text
    assert "Отчёт акима занимает 33% встречи" in page
    public = client.get(f"/ru/meetings/{almaly_meeting.pk}/").text
    assert "Отчёт акима занимает" not in public


def test_the_csv_export_lists_registrants_and_defuses_formulas(client, almaly_staff, almaly_meeting):
    make_registration(almaly_meeting, name="=HYPERLINK(1)", email="a@example.kz")
    make_registration(almaly_meeting, name="Бекзат", phone="+77011112233", email="", status="waitlisted")
    client.force_login(almaly_staff)
    response = client.get(f"/ru/meetings/staff/{almaly_meeting.pk}/registrations.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Имя", "Эл. почта", "Телефон"]
    assert {row[0] for row in rows[1:]} == {"'=HYPERLINK(1)", "Бекзат"}
    assert [row[2] for row in rows[1:] if row[2]] == ["+77011112233"]


def test_the_attendance_sheet_lists_registered_residents_only(client, almaly_staff, almaly_meeting):
    make_registration(almaly_meeting, name="Асель")
    make_registration(almaly_meeting, name="Бекзат", status="waitlisted")
    client.force_login(almaly_staff)
    page = client.get(f"/kk/meetings/staff/{almaly_meeting.pk}/attendance/").text
    assert "Асель" in page and "Бекзат" not in page


def test_staff_see_what_is_missing_in_their_territories(client, almaly_staff, almaly):
    client.force_login(almaly_staff)
    page = client.get("/ru/meetings/staff/mandate/").text
    assert "Алмалинский район" in page and "не проведено" in page


def test_the_public_mandate_page_has_the_headline(client, almaty, almaly, medeu, almaly_akim, medeu_akim):
    from tests.meetings.test_selectors import local

    make_meeting(almaly, host=almaly_akim, starts_at=local(2025, 7, 10, 11), status=S.HELD)
    make_meeting(medeu, host=medeu_akim, starts_at=local(2025, 8, 10, 11), status=S.HELD)
    page = client.get("/ru/meetings/mandate/?territory=almaty&period=2025-Q3").text
    assert "Алматы, 3-й квартал 2025 года: отчитались все районы (2)" in page


def test_the_kazakh_headline_gives_the_part_its_ending(client, almaty, almaly, medeu, almaly_akim, medeu_akim):
    from tests.meetings.test_selectors import local

    make_meeting(almaly, host=almaly_akim, starts_at=local(2025, 7, 10, 11), status=S.HELD)
    page = client.get("/kk/meetings/mandate/?territory=almaty&period=2025-Q3").text
    assert "Алматы, 2025 жылғы 3-тоқсан: 2 ауданның 1-еуі есеп берді" in page


def test_the_mandate_table_is_cached_until_a_meeting_changes(
    client, almaty, almaly, medeu, almaly_akim, medeu_akim, almaty_staff, django_assert_max_num_queries
):
    from meetings import services
    from tests.meetings.test_selectors import local

    make_meeting(almaly, host=almaly_akim, starts_at=local(2025, 7, 10, 11), status=S.HELD)
    pending = make_meeting(medeu, host=medeu_akim, starts_at=local(2025, 8, 10, 11), status=S.SCHEDULED)
    url = "/ru/meetings/mandate/?territory=almaty&period=2025-Q3"
    assert "Алматы, 3-й квартал 2025 года: отчитался 1 район из 2" in client.get(url).text
    with CaptureQueriesContext(connection) as computed:
        client.get("/kk" + url[3:])
    with django_assert_max_num_queries(len(computed) - 2):  # the table comes from the cache
        assert "отчитался 1 район из 2" in client.get(url).text

    services.meeting_mark_held(meeting=pending, actor=almaty_staff, attendance=80)  # records an event

    assert "отчитались все районы (2)" in client.get(url).text


# --- The territory drill-down -----------------------------------------------------------------


def _territory_options(html: str) -> list[str]:
    select = html[html.index('<select name="territory"') :]
    select = select[: select.index("</select>")]
    return re.findall(r'<option value="([^"]*)"', select)


def _add_okrugs(district, count: int) -> list:
    return [
        make_unit(
            AdministrativeUnit.Kind.RURAL_OKRUG,
            parent=district,
            name_kk=f"{district.slug} ауылдық округі {i}",
            name_ru=f"{district.slug} сельский округ {i}",
            slug=f"{district.slug}-okrug-{i}",
        )
        for i in range(count)
    ]


def test_the_territory_filter_offers_two_levels_whatever_the_number_of_okrugs(client, almaty, almaly, medeu):
    _add_okrugs(almaly, 3)
    few = _territory_options(client.get("/ru/meetings/").text)
    _add_okrugs(medeu, 40)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/ru/meetings/").text
    assert _territory_options(html) == few == ["", "almaty", "almaty-almaly", "almaty-medeu"]
    assert len(queries) <= 4


def test_choosing_a_district_offers_its_okrugs_and_a_deep_slug_is_accepted(client, almaty, almaly, medeu):
    almaly_okrugs = _add_okrugs(almaly, 3)
    medeu_okrugs = _add_okrugs(medeu, 5)
    village = make_unit(AdministrativeUnit.Kind.SETTLEMENT, parent=almaly_okrugs[0], slug="village")

    options = _territory_options(client.get("/ru/meetings/", {"territory": "almaty-medeu"}).text)
    assert {okrug.slug for okrug in medeu_okrugs} <= set(options)
    assert not {okrug.slug for okrug in almaly_okrugs} & set(options)

    # An okrug two levels down: accepted, selected, shown with its ancestors and neighbours.
    okrug = almaly_okrugs[1]
    make_meeting(okrug, starts_at=in_days(3), title_ru="Встреча в округе")
    response = client.get("/ru/meetings/", {"territory": okrug.slug, "remember": "on"})
    assert "Встреча в округе" in response.text
    assert f'<option value="{okrug.slug}" selected>' in response.text
    options = _territory_options(response.text)
    assert {"almaty", "almaty-almaly", *(o.slug for o in almaly_okrugs)} <= set(options)
    assert village.slug not in options
    # The remembered okrug is drilled down to on the next visit too.
    assert f'<option value="{okrug.slug}" selected>' in client.get("/ru/meetings/").text
    # Settlements are reached through their okrugs: not a filter of their own.
    assert "territory" in client.get("/ru/meetings/", {"territory": village.slug}).context["form"].errors


def test_an_unbound_drill_down_starts_from_its_initial_territory(almaty, almaly):
    from meetings.forms import TerritoryPickForm

    okrug = _add_okrugs(almaly, 2)[0]
    html = str(TerritoryPickForm(initial={"territory": okrug})["territory"])
    assert f'<option value="{okrug.slug}" selected>' in html
    assert " required" not in html  # no empty first option: nothing to require
