"""The categories residents choose from, in both languages, so they exist on every install."""

from django.db import migrations

CATEGORIES = [
    ("water", "Сумен жабдықтау", "Водоснабжение"),
    ("gas", "Газбен жабдықтау", "Газоснабжение"),
    ("electricity", "Электрмен жабдықтау", "Электроснабжение"),
    ("heating", "Жылумен жабдықтау", "Теплоснабжение"),
    ("roads", "Жолдар", "Дороги"),
    ("transport", "Қоғамдық көлік", "Общественный транспорт"),
    ("yards", "Аулалар және абаттандыру", "Дворы и благоустройство"),
    ("housing", "Тұрғын үй-коммуналдық шаруашылық", "Жилищно-коммунальное хозяйство"),
    ("land", "Жер учаскелері", "Земельные участки"),
    ("education", "Білім беру", "Образование"),
    ("health", "Денсаулық сақтау", "Здравоохранение"),
    ("social", "Әлеуметтік қолдау", "Социальная поддержка"),
    ("business", "Кәсіпкерлік", "Предпринимательство"),
    ("safety", "Қауіпсіздік", "Безопасность"),
    ("other", "Басқа", "Другое"),
]


def create(apps, schema_editor):
    Category = apps.get_model("questions", "Category")
    for position, (slug, kk, ru) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(
            slug=slug, defaults={"name": kk, "name_kk": kk, "name_ru": ru, "position": position * 10}
        )


def remove(apps, schema_editor):
    apps.get_model("questions", "Category").objects.filter(slug__in=[c[0] for c in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("questions", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
