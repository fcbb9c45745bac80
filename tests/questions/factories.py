"""Questions in any state, reached through the real services so every event is recorded."""

from itertools import count

from accounts.models import User
from districts.models import AdministrativeUnit, Department
from questions import services
from questions.models import Category, Question

_numbers = count(1)

CATEGORY_NAMES = {
    "water": ("Сумен жабдықтау", "Водоснабжение"),
    "roads": ("Жолдар", "Дороги"),
    "heating": ("Жылумен жабдықтау", "Теплоснабжение"),
    "other": ("Басқа", "Другое"),
}


def category(slug: str = "water") -> Category:
    # get_or_create: browser tests flush the tables the data migration filled.
    kk, ru = CATEGORY_NAMES.get(slug, (slug, slug))
    obj, _created = Category.objects.get_or_create(slug=slug, defaults={"name_kk": kk, "name_ru": ru})
    return obj


def submit(unit: AdministrativeUnit, **fields) -> Question:
    n = next(_numbers)
    defaults = {
        "category": category(),
        "text": f"Аулада су құбыры жарылып, үш күннен бері су жоқ. Нөмір {n}.",
        "language": "kk",
        "author_name": "Айгерім",
        "contact_email": f"author{n}@example.kz",
    }
    defaults.update(fields)
    return services.question_submit(unit=unit, **defaults)


def new(unit: AdministrativeUnit, **fields) -> Question:
    question = submit(unit, **fields)
    return services.question_confirm_by_code(question=question, code=services.confirmation_code(question))


def accepted(unit: AdministrativeUnit, actor: User, **fields) -> Question:
    return services.question_accept(question=new(unit, **fields), actor=actor)


def assigned(unit: AdministrativeUnit, actor: User, department: Department, **fields) -> Question:
    return services.question_assign(question=accepted(unit, actor, **fields), actor=actor, department=department)


def answered(unit: AdministrativeUnit, actor: User, department: Department, outcome="resolved", **fields) -> Question:
    return services.question_answer(
        question=assigned(unit, actor, department, **fields),
        actor=actor,
        answer_text="Құбыр ауыстырылды, су берілді.",
        outcome=outcome,
    )


def refresh(question: Question) -> Question:
    return Question.objects.get(pk=question.pk)
