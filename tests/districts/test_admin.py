from districts.models import AdministrativeUnit


def test_the_admin_refuses_a_bad_kato_with_a_message_and_saves_nothing(client, administrator, almaty):
    client.force_login(administrator)
    response = client.post(
        "/ru/admin/districts/administrativeunit/add/",
        {
            "kind": "district",
            "name_kk": "Жаңа",
            "name_ru": "Новый",
            "parent": almaty.pk,
            "kato": "75-111",
            "slug": "new",
        },
    )
    assert response.status_code == 200
    assert "Код КАТО состоит ровно из 9 цифр" in response.content.decode()
    assert not AdministrativeUnit.objects.filter(slug="new").exists()


def test_the_admin_creates_a_unit_through_the_service_so_its_path_is_right(client, administrator, almaty):
    client.force_login(administrator)
    client.post(
        "/kk/admin/districts/administrativeunit/add/",
        {
            "kind": "district",
            "name_kk": "Жаңа",
            "name_ru": "Новый",
            "parent": almaty.pk,
            "kato": "751999000",
            "slug": "new",
        },
    )
    unit = AdministrativeUnit.objects.get(slug="new")
    assert unit.path == f"{almaty.path}{unit.pk}/"
    assert unit in AdministrativeUnit.objects.within(almaty)


def test_the_admin_form_has_language_tabs_and_loads_nothing_from_other_sites(client, administrator, db):
    client.force_login(administrator)
    page = client.get("/kk/admin/districts/administrativeunit/add/").content.decode()
    assert "tabbed_translation_fields.js" in page
    assert "vendor/jquery-ui/jquery-ui.min.js" in page
    assert "googleapis" not in page and 'src="//' not in page


def test_the_parent_field_is_an_autocomplete(client, administrator, almaty):
    client.force_login(administrator)
    response = client.get(
        "/kk/admin/autocomplete/",
        {"term": "Алма", "app_label": "districts", "model_name": "administrativeunit", "field_name": "parent"},
    )
    assert [row["text"] for row in response.json()["results"]] == ["Алматы"]
