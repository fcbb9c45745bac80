"""The audit trail: administrators see who changed what, and when, across meetings, questions,
reports, action items and staff roles; role changes made in the admin are recorded."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import audit
from accounts.audit import Cursor, audit_trail
from accounts.models import StaffRole, StaffRoleEvent
from accounts.services import staff_role_grant
from meetings import services as meeting_services
from meetings.models import MeetingEvent
from questions import services as question_services
from questions.models import QuestionEvent
from reports.models import ActionItemEvent, ReportEvent
from tests.factories import UserFactory, make_staff
from tests.meetings.factories import make_meeting
from tests.questions import factories as question_factories
from tests.reports.factories import make_item, make_plan, make_report

AUDIT = "/kk/accounts/audit/"
SECRET_EMAIL = "hidden.author@example.kz"
SECRET_PHONE = "+77015550177"


def _local(year, month, day, hour=12, minute=0) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute))


@pytest.fixture
def trail(almaly, medeu, almaly_staff, administrator, energy_department):
    """One change of each kind, each by a named person."""
    meeting = make_meeting(almaly, title_kk="Алмалы есебі", title_ru="Отчёт Алмалы")
    meeting_services.meeting_reschedule(
        meeting=meeting,
        actor=almaly_staff,
        starts_at=meeting.starts_at + timedelta(days=1),
        ends_at=meeting.ends_at + timedelta(days=1),
        note="Зал жөнделуде",
    )
    question = question_factories.accepted(
        almaly, almaly_staff, contact_email=SECRET_EMAIL, contact_phone=SECRET_PHONE, author_name="Құпия Автор"
    )
    report = make_report(almaly, almaly_staff, title_kk="Алмалы есебі жарияланды", title_ru="Отчёт Алмалы опубликован")
    plan = make_plan(almaly, almaly_staff)
    item = make_item(plan, almaly_staff, title_kk="Көшені жөндеу", title_ru="Ремонт улицы")
    officer = UserFactory(username="new.officer")
    staff_role_grant(
        user=officer,
        unit=energy_department.unit,
        role=StaffRole.Role.DEPARTMENT_OFFICER,
        department=energy_department,
        actor=administrator,
    )
    return {"meeting": meeting, "question": question, "report": report, "item": item, "officer": officer}


# --- Who may see it -----------------------------------------------------------------------------


def test_the_administrator_sees_events_of_all_five_kinds(client, administrator, trail):
    client.force_login(administrator)
    response = client.get("/ru/accounts/audit/")
    assert response.status_code == 200
    page = response.content.decode()
    types = {entry.stream.key for entry in response.context["entries"]}
    assert types == {"meeting", "question", "report", "action_item", "staff_role"}
    # Each object links to its staff page; the role to the user in the admin.
    assert f'href="/ru/meetings/staff/{trail["meeting"].pk}/"' in page
    assert f'href="/ru/questions/staff/{trail["question"].pk}/"' in page
    assert f'href="/ru/reports/staff/{trail["report"].pk}/"' in page
    assert f'href="/ru/reports/staff/items/{trail["item"].pk}/"' in page
    assert f'href="/ru/admin/accounts/user/{trail["officer"].pk}/change/"' in page
    # Who did it, and the translated kind of change.
    assert "almaly.staff" in page and "admin" in page
    assert "Перенесена" in page  # meeting: rescheduled
    assert "Роль выдана" in page
    assert "Отчёт Алмалы" in page and "Ремонт улицы" in page
    assert "Зал жөнделуде" in page  # the reschedule's note


@pytest.mark.parametrize("persona", ["almaly_staff", "almaty_staff", "department_officer", "resident"])
def test_everyone_else_signed_in_is_refused(client, request, trail, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(AUDIT)
    assert response.status_code == 403
    assert "new.officer" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, trail):
    response = client.get(AUDIT)
    assert response.status_code == 302
    assert response["Location"].startswith("/kk/accounts/login/")


def test_an_inactive_superuser_is_not_an_administrator(client, trail):
    former = UserFactory(username="former.admin", is_staff=True, is_superuser=True, is_active=False)
    client.force_login(former)
    assert client.get(AUDIT).status_code in (302, 403)


def test_the_workspace_links_administrators_to_the_audit(client, administrator, almaly_staff):
    client.force_login(administrator)
    assert 'href="/kk/accounts/audit/"' in client.get("/kk/accounts/workspace/").content.decode()
    assert 'href="/kk/accounts/audit/"' in client.get("/kk/admin/").content.decode()
    client.force_login(almaly_staff)
    assert "/accounts/audit/" not in client.get("/kk/accounts/workspace/").content.decode()


def test_residents_contacts_never_reach_the_page(client, administrator, trail, almaly_staff, energy_department):
    question = question_services.question_assign(
        question=trail["question"], actor=almaly_staff, department=energy_department
    )
    question = question_services.question_answer(
        question=question, actor=almaly_staff, answer_text="Құбыр ауыстырылды.", outcome="resolved"
    )
    question_services.question_rate(
        question=question, satisfied=False, comment=f"Маған хабарласыңыз: {SECRET_PHONE}, {SECRET_EMAIL}"
    )
    client.force_login(administrator)
    page = client.get(AUDIT).content.decode()
    assert QuestionEvent.objects.filter(question=question, kind=QuestionEvent.Kind.RATED).exists()
    assert "Маған хабарласыңыз" in page  # the comment is there, its contacts are not
    for secret in (SECRET_EMAIL, SECRET_PHONE, "7015550177", "Құпия Автор"):
        assert secret not in page


# --- Roles changed through the admin are recorded -----------------------------------------------


def test_a_role_granted_in_the_admin_is_recorded_with_its_actor(client, administrator, almaly):
    user = UserFactory(username="new.staff")
    client.force_login(administrator)
    response = client.post(
        "/kk/admin/accounts/staffrole/add/",
        {"user": user.pk, "unit": almaly.pk, "role": StaffRole.Role.AKIMAT_STAFF, "department": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    role = StaffRole.objects.get(user=user)
    event = StaffRoleEvent.objects.get(user=user)
    assert (event.kind, event.actor, event.staff_role, event.role, event.unit) == (
        StaffRoleEvent.Kind.GRANTED,
        administrator,
        role,
        StaffRole.Role.AKIMAT_STAFF,
        almaly,
    )
    assert event.unit_name == "Алмалы ауданы / Алмалинский район"


def test_a_role_changed_in_the_admin_records_before_and_after(client, administrator, almaly, medeu):
    user = make_staff(almaly, username="moving.staff")
    role = StaffRole.objects.get(user=user)
    client.force_login(administrator)
    response = client.post(
        f"/kk/admin/accounts/staffrole/{role.pk}/change/",
        {"user": user.pk, "unit": medeu.pk, "role": StaffRole.Role.MODERATOR, "department": ""},
    )
    assert response.status_code == 302
    event = StaffRoleEvent.objects.get(user=user, kind=StaffRoleEvent.Kind.CHANGED)
    assert event.actor == administrator
    assert event.changes == {
        "role": [StaffRole.Role.AKIMAT_STAFF, StaffRole.Role.MODERATOR],
        "unit": ["Алмалы ауданы / Алмалинский район", "Медеу ауданы / Медеуский район"],
    }
    page = client.get("/ru/accounts/audit/").content.decode()
    assert "Роль изменена" in page
    assert "сотрудник акимата → модератор" in page


def test_saving_a_role_unchanged_records_nothing(client, administrator, almaly):
    user = make_staff(almaly, username="same.staff")
    role = StaffRole.objects.get(user=user)
    client.force_login(administrator)
    client.post(
        f"/kk/admin/accounts/staffrole/{role.pk}/change/",
        {"user": user.pk, "unit": almaly.pk, "role": StaffRole.Role.AKIMAT_STAFF, "department": ""},
    )
    assert list(StaffRoleEvent.objects.filter(user=user).values_list("kind", flat=True)) == ["granted"]


def test_a_role_revoked_in_the_admin_keeps_its_event(client, administrator, almaly):
    user = make_staff(almaly, username="leaving.staff")
    role = StaffRole.objects.get(user=user)
    client.force_login(administrator)
    response = client.post(f"/kk/admin/accounts/staffrole/{role.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not StaffRole.objects.filter(user=user).exists()
    revoked = StaffRoleEvent.objects.get(user=user, kind=StaffRoleEvent.Kind.REVOKED)
    assert (revoked.actor, revoked.role, revoked.unit, revoked.username) == (
        administrator,
        StaffRole.Role.AKIMAT_STAFF,
        almaly,
        "leaving.staff",
    )
    # The grant's event outlives the role it points to.
    assert StaffRoleEvent.objects.get(user=user, kind=StaffRoleEvent.Kind.GRANTED).staff_role is None
    assert "Роль отозвана" in client.get("/ru/accounts/audit/?type=staff_role").content.decode()


def test_roles_deleted_from_the_list_are_recorded_one_by_one(client, administrator, almaly, medeu):
    first, second = make_staff(almaly, username="bulk.one"), make_staff(medeu, username="bulk.two")
    roles = StaffRole.objects.filter(user__in=[first, second])
    client.force_login(administrator)
    response = client.post(
        "/kk/admin/accounts/staffrole/",
        {"action": "delete_selected", "_selected_action": [role.pk for role in roles], "post": "yes"},
    )
    assert response.status_code == 302
    assert not StaffRole.objects.filter(user__in=[first, second]).exists()
    assert set(
        StaffRoleEvent.objects.filter(kind=StaffRoleEvent.Kind.REVOKED, actor=administrator).values_list(
            "username", flat=True
        )
    ) == {"bulk.one", "bulk.two"}


def _user_form(user, roles: list[StaffRole], *, extra: list[dict] = (), delete: set[int] = frozenset(), **fields):
    """The admin's user change form as a browser would post it, with the staff role inline."""
    joined = timezone.localtime(user.date_joined)
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined_0": f"{joined:%Y-%m-%d}",
        "date_joined_1": f"{joined:%H:%M:%S}",
        "preferred_language": user.preferred_language,
        "phone": user.phone,
        "staff_roles-TOTAL_FORMS": str(len(roles) + len(extra)),
        "staff_roles-INITIAL_FORMS": str(len(roles)),
        "staff_roles-MIN_NUM_FORMS": "0",
        "staff_roles-MAX_NUM_FORMS": "1000",
    }
    flags = {"is_active": user.is_active, "is_staff": user.is_staff, "is_superuser": user.is_superuser} | fields
    data.update({name: "on" for name, value in flags.items() if value})
    rows = [
        {"id": role.pk, "unit": role.unit_id, "role": role.role, "department": role.department_id or ""}
        for role in roles
    ]
    for index, row in enumerate([*rows, *extra]):
        data.update({f"staff_roles-{index}-{name}": value for name, value in row.items()})
        data[f"staff_roles-{index}-user"] = user.pk
        if row.get("id") in delete:
            data[f"staff_roles-{index}-DELETE"] = "on"
    return data


def test_roles_granted_and_revoked_in_the_user_form_are_recorded(client, administrator, almaly, medeu):
    user = make_staff(almaly, username="inline.staff")
    almaly_role = StaffRole.objects.get(user=user)
    client.force_login(administrator)
    response = client.post(
        f"/kk/admin/accounts/user/{user.pk}/change/",
        _user_form(
            user,
            [almaly_role],
            extra=[{"unit": medeu.pk, "role": StaffRole.Role.AKIMAT_STAFF, "department": ""}],
            delete={almaly_role.pk},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(StaffRole.objects.filter(user=user).values_list("unit", flat=True)) == [medeu.pk]
    events = StaffRoleEvent.objects.filter(user=user, actor=administrator).order_by("pk")
    assert [(event.kind, event.unit_id) for event in events] == [("revoked", almaly.pk), ("granted", medeu.pk)]


def test_access_flags_changed_in_the_user_form_are_recorded(client, administrator):
    user = UserFactory(username="promoted")
    client.force_login(administrator)
    response = client.post(
        f"/kk/admin/accounts/user/{user.pk}/change/", _user_form(user, [], is_staff=True, is_superuser=True)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = StaffRoleEvent.objects.get(user=user)
    assert (event.kind, event.actor) == (StaffRoleEvent.Kind.ACCESS, administrator)
    assert event.changes == {"is_staff": [False, True], "is_superuser": [False, True]}
    page = client.get("/ru/accounts/audit/").content.decode()
    assert "Доступ к учётной записи изменён" in page


def test_deleting_a_user_records_the_roles_they_lost(client, administrator, almaly):
    user = make_staff(almaly, username="deleted.staff")
    client.force_login(administrator)
    response = client.post(f"/kk/admin/accounts/user/{user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    event = StaffRoleEvent.objects.get(username="deleted.staff", kind=StaffRoleEvent.Kind.REVOKED)
    assert (event.user, event.actor, event.unit) == (None, administrator, almaly)


# --- Filters ------------------------------------------------------------------------------------


def test_filter_by_object_type(client, administrator, trail):
    client.force_login(administrator)
    response = client.get(AUDIT, {"type": "report"})
    assert response.status_code == 200
    assert {entry.stream.key for entry in response.context["entries"]} == {"report"}
    assert len(response.context["entries"]) == ReportEvent.objects.count() == 2  # created, published


def test_filter_by_actor(client, administrator, trail):
    client.force_login(administrator)
    entries = client.get(AUDIT, {"actor": "admin"}).context["entries"]
    assert [(entry.stream.key, entry.actor) for entry in entries] == [("staff_role", "admin")]
    entries = client.get(AUDIT, {"actor": "almaly.staff"}).context["entries"]
    assert {entry.stream.key for entry in entries} == {"meeting", "question", "report", "action_item"}


def test_filter_by_local_dates(client, administrator, trail):
    # Ten past midnight on 2 March in Almaty is still 1 March in UTC: the filter counts local days.
    MeetingEvent.objects.update(at=_local(2025, 3, 2, 0, 10))
    ReportEvent.objects.update(at=_local(2025, 3, 1, 23, 50))
    ActionItemEvent.objects.update(at=_local(2025, 3, 3, 9))
    client.force_login(administrator)
    entries = client.get(AUDIT, {"date_from": "2025-03-02", "date_to": "2025-03-02"}).context["entries"]
    assert {entry.stream.key for entry in entries} == {"meeting"}
    entries = client.get(AUDIT, {"date_from": "2025-03-01", "date_to": "2025-03-02"}).context["entries"]
    assert {entry.stream.key for entry in entries} == {"meeting", "report"}
    entries = client.get(AUDIT, {"date_to": "2025-03-03"}).context["entries"]
    assert {entry.stream.key for entry in entries} == {"meeting", "report", "action_item"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"type": "password"}, "Мұндай нысан түрі жоқ"),
        ({"actor": "nobody.here"}, "Мұндай пайдаланушы жоқ"),
        ({"date_from": "2025-13-45"}, "Күнді ЖЖЖЖ-АА-КК түрінде"),
        ({"date_from": "0001-01-01"}, "2000"),
        ({"date_to": "9999-12-31"}, "2100"),
        ({"date_from": "2025-03-10", "date_to": "2025-03-01"}, "Аяқталу күні басталу күнінен бұрын"),
        ({"before": "1.meeting.x"}, "Бұл бет сілтемесі бұзылған"),
        ({"before": "99999999999999999999.meeting.1"}, "Бұл бет сілтемесі бұзылған"),
        ({"before": "1740000000000000.password.1"}, "Бұл бет сілтемесі бұзылған"),
        ({"actor": "x" * 151}, "150"),
    ],
)
def test_bad_filters_get_a_clear_message_not_an_error(client, administrator, trail, query, message):
    client.force_login(administrator)
    response = client.get(AUDIT, query)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "new.officer" not in page  # nothing is listed under filters that were not understood


def test_bad_filters_are_explained_in_russian_too(client, administrator, trail):
    client.force_login(administrator)
    response = client.get("/ru/accounts/audit/", {"actor": "nobody.here", "type": "password"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Такого пользователя нет" in page and "Такого типа объекта нет" in page


# --- Both languages -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", ["Аудит журналы", "Кім", "Нысан түрі", "Рөл берілді", "Кездесу", "ауыстырылды"]),
        ("ru", ["Журнал аудита", "Кто", "Тип объекта", "Роль выдана", "Встреча", "Перенесена"]),
    ],
)
def test_the_page_speaks_kazakh_and_russian(client, administrator, trail, language, expected):
    client.force_login(administrator)
    response = client.get(f"/{language}/accounts/audit/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in expected:
        assert text in page, text


# --- Paging: keyset, constant queries -----------------------------------------------------------


def _many_events(count: int, *, actor, meeting, question, report, item, officer, at: datetime) -> None:
    """`count` events of each stream, all at the same instant (the hardest case for a cursor)."""
    MeetingEvent.objects.bulk_create(
        MeetingEvent(meeting=meeting, actor=actor, kind=MeetingEvent.Kind.UPDATED, at=at) for _ in range(count)
    )
    QuestionEvent.objects.bulk_create(
        QuestionEvent(question=question, actor=actor, kind=QuestionEvent.Kind.CATEGORY_CHANGED, at=at)
        for _ in range(count)
    )
    ReportEvent.objects.bulk_create(
        ReportEvent(report=report, actor=actor, kind=ReportEvent.Kind.UPDATED, at=at, changes=["title_kk"])
        for _ in range(count)
    )
    ActionItemEvent.objects.bulk_create(
        ActionItemEvent(item=item, actor=actor, kind=ActionItemEvent.Kind.PROGRESS, at=at, to_progress=10)
        for _ in range(count)
    )
    StaffRoleEvent.objects.bulk_create(
        StaffRoleEvent(user=officer, username=officer.username, actor=actor, kind=StaffRoleEvent.Kind.CHANGED, at=at)
        for _ in range(count)
    )


def _all_pages(client, query: dict) -> list[list[tuple[str, int]]]:
    pages, url = [], AUDIT
    response = client.get(url, query)
    while True:
        assert response.status_code == 200
        pages.append([(entry.stream.key, entry.pk) for entry in response.context["entries"]])
        if not response.context["older_url"]:
            return pages
        response = client.get(AUDIT + response.context["older_url"])


def test_paging_visits_every_event_once_newest_first(client, administrator, trail, monkeypatch):
    monkeypatch.setattr(audit, "PAGE_SIZE", 4)
    _many_events(3, actor=administrator, **trail, at=_local(2020, 5, 5))  # ties across all streams
    client.force_login(administrator)
    pages = _all_pages(client, {"actor": "admin"})
    seen = [row for page in pages for row in page]
    assert all(len(page) == 4 for page in pages[:-1])
    assert len(seen) == len(set(seen)) == 3 * 5 + 1  # and the grant of the trail
    # Newest first, ties in a fixed order of streams, then newest row first.
    rank = {key: index for index, key in enumerate(audit.STREAM_KEYS)}
    keys = [(rank[stream], pk) for stream, pk in seen[1:]]
    assert keys == sorted(keys, reverse=True)
    # The filter stays on every page; the first page offers no "newest" link, the others do.
    assert "actor=admin" in client.get(AUDIT, {"actor": "admin"}).context["older_url"]


def test_the_cursor_reads_back_what_it_wrote():
    cursor = Cursor(at=_local(2025, 3, 21, 10, 30).replace(microsecond=123456), stream="action_item", pk=42)
    assert Cursor.parse(str(cursor)) == cursor


def test_the_selector_merges_streams_with_equal_times_without_gaps(administrator, trail):
    _many_events(2, actor=administrator, **trail, at=_local(2021, 1, 1))
    everything, _none = audit_trail(actor_id=administrator.pk, limit=1000)
    walked, cursor = [], None
    while True:
        page, cursor = audit_trail(actor_id=administrator.pk, limit=3, before=cursor)
        walked.extend(page)
        if cursor is None:
            break
    assert [(entry.stream.key, entry.pk) for entry in walked] == [(entry.stream.key, entry.pk) for entry in everything]


def test_the_number_of_queries_does_not_grow_with_the_data(client, administrator, trail):
    client.force_login(administrator)

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(AUDIT, {"actor": "admin"}).status_code == 200
        return len(captured)

    _many_events(2, actor=administrator, **trail, at=_local(2022, 1, 1))
    with_few = queries_for_page()
    _many_events(18, actor=administrator, **trail, at=_local(2022, 1, 2))
    with_many = queries_for_page()
    assert with_many == with_few
    assert with_few <= 10  # session, user, the actor's name, one query per stream


def test_a_full_page_stays_within_a_fixed_number_of_queries(
    client, administrator, trail, django_assert_max_num_queries
):
    _many_events(20, actor=administrator, **trail, at=_local(2023, 1, 1))
    client.force_login(administrator)
    with django_assert_max_num_queries(10):
        response = client.get(AUDIT)
    assert len(response.context["entries"]) == audit.PAGE_SIZE
    assert response.context["older_url"]
