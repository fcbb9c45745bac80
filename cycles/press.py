"""A press-release draft from the data, in the format reports.imports reads.

The figures are written as an akimat's press office writes them: large counts rounded with
"more than" / "about" (3 512 → "3 500-ден астам", "более 3 500"; 879 → "880-ге жуық", "около
880"), the counts press releases quote exactly (answered on the spot, needing action, meetings,
plans) left exact, each number with its case ending in Kazakh (core.kazakh) and its noun form in
Russian (core.russian). Staff edit the draft and publish it as a report through the import.

The text is content in both languages at once, not interface: it is written here in Kazakh and
Russian rather than through the gettext catalogues, which hold one language per reader.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import yaml
from django.utils import formats, timezone, translation

from core.kazakh import grouped, kazakh_case, kazakh_part, kazakh_part_dative
from core.russian import genitive, plural
from cycles.models import Cycle
from cycles.selectors import Figures, cycle_figures, meeting_press_figures
from meetings.models import Meeting


@dataclass(frozen=True)
class Rounded:
    """A count as a press release quotes it: exact, "about" (rounded up) or "more than"."""

    value: int
    kind: str  # "exact", "about", "over"


def rounded(count: int) -> Rounded:
    """Below 100 exact; below 1 000 to tens; then to hundreds (half up)."""
    if count < 100:
        return Rounded(count, "exact")
    step = 10 if count < 1000 else 100
    value = int((Decimal(count) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * step
    if value == count:
        return Rounded(count, "exact")
    return Rounded(value, "about" if value > count else "over")


def kk_count(count: int, *, exact: bool = False) -> str:
    """ "3 500-ден астам", "880-ге жуық", "756": the noun follows in the singular."""
    number = Rounded(count, "exact") if exact else rounded(count)
    if number.kind == "over":
        return f"{kazakh_case(number.value, 'ablative')} астам"
    if number.kind == "about":
        return f"{kazakh_case(number.value, 'dative')} жуық"
    return grouped(number.value)


def ru_count(count: int, forms: tuple[str, str, str], *, exact: bool = False) -> str:
    """ "более 3 500 жителей", "около 880 вопросов", "756 вопросов": the noun with its form."""
    number = Rounded(count, "exact") if exact else rounded(count)
    if number.kind == "exact":
        return f"{grouped(number.value)} {plural(number.value, *forms)}"
    word = "более" if number.kind == "over" else "около"
    return f"{word} {grouped(number.value)} {genitive(number.value, forms[1], forms[2])}"


RESIDENTS = ("житель", "жителя", "жителей")
QUESTIONS = ("вопрос", "вопроса", "вопросов")
PEOPLE = ("человек", "человека", "человек")


def _day(day: date, language: str) -> str:
    with translation.override(language):
        return formats.date_format(day, "DATE_FORMAT")


def _questions_kk(figures: Figures, *, single: bool) -> list[str]:
    paragraphs = []
    if figures.attendance:
        to_meeting = "Кездесуге" if single else "Кездесулерге"
        paragraphs.append(f"{to_meeting} {kk_count(figures.attendance)} тұрғын келді.")
    if figures.received:
        if figures.askers:
            paragraphs.append(f"{kk_count(figures.askers)} адамнан {kk_count(figures.received)} сұрақ түсті.")
        else:
            paragraphs.append(f"Тұрғындардан {kk_count(figures.received)} сұрақ түсті.")
        needing = grouped(figures.needing_action)
        if figures.on_the_spot:
            paragraphs.append(
                f"Оның {kazakh_part_dative(figures.on_the_spot)} орнында жауап берілді, "
                f"{needing} сұрақ шешуді талап етеді."
            )
        else:
            paragraphs.append(f"Орнында жауап берілген сұрақ болған жоқ; {needing} сұрақ шешуді талап етеді.")
    if figures.answered_later and figures.needing_action:
        rows = {row["key"]: row["rate"].percent for row in figures.outcome_rows}
        paragraphs.append(
            f"Шешуді талап ететін сұрақтардың {rows['satisfied']}%-ы қанағаттандырылды, "
            f"{rows['explained']}%-ы бойынша түсіндірме берілді, {rows['needing_time']}%-ы уақытты қажет етеді."
        )
    if figures.plans:
        paragraphs.append(
            f"{'Кездесу' if single else 'Кездесулер'} қорытындысы бойынша "
            f"{grouped(figures.plans)} іс-шара жоспары жасалды, "
            f"оларға {grouped(figures.items)} тармақ енгізілді."
        )
    return paragraphs


def _questions_ru(figures: Figures, *, single: bool) -> list[str]:
    paragraphs = []
    if figures.attendance:
        paragraphs.append(f"На {'встречу' if single else 'встречи'} пришло {ru_count(figures.attendance, RESIDENTS)}.")
    if figures.received:
        if figures.askers:
            askers = ru_count(figures.askers, PEOPLE)
            paragraphs.append(f"{askers[0].upper()}{askers[1:]} задали {ru_count(figures.received, QUESTIONS)}.")
        else:
            paragraphs.append(f"Жители задали {ru_count(figures.received, QUESTIONS)}.")
        needing = figures.needing_action
        need = f"{grouped(needing)} {plural(needing, 'вопрос требует', 'вопроса требуют', 'вопросов требуют')}"
        if figures.on_the_spot:
            paragraphs.append(f"На {grouped(figures.on_the_spot)} из них ответили на месте, {need} решения.")
        else:
            paragraphs.append(f"На месте ответов не было; {need} решения.")
    if figures.answered_later and figures.needing_action:
        rows = {row["key"]: row["rate"].percent for row in figures.outcome_rows}
        paragraphs.append(
            f"Из вопросов, требующих решения, {rows['satisfied']}% удовлетворены, "
            f"по {rows['explained']}% даны разъяснения, {rows['needing_time']}% требуют времени."
        )
    if figures.plans:
        paragraphs.append(
            f"По итогам {'встречи' if single else 'встреч'} составлены планы мероприятий: {grouped(figures.plans)}, "
            f"пунктов в них: {grouped(figures.items)}."
        )
    return paragraphs


def _document(*, title_kk: str, title_ru: str, territory: str, day: date, kk: list[str], ru: list[str]) -> str:
    meta = {"title": title_kk, "preview": kk[0], "date": day.isoformat(), "territory": territory}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000).strip()
    return f"---\n{front}\n---\n" + "\n\n".join(kk) + f"\n\n## {title_ru}\n\n" + "\n\n".join(ru) + "\n"


def _as_of(language: str) -> str:
    moment = timezone.localtime()
    with translation.override(language):
        return formats.date_format(moment, "DATE_FORMAT")


def cycle_press_release(*, cycle: Cycle) -> str:
    """The cycle's draft: its meetings, residents, questions, outcomes and plans, as of today."""
    figures = cycle_figures(cycle=cycle, with_previous=False).total
    title_kk = cycle.title_kk
    title_ru = cycle.title_ru or cycle.title_kk
    start_kk, end_kk = _day(cycle.starts_on, "kk"), _day(cycle.ends_on, "kk")
    start_ru, end_ru = _day(cycle.starts_on, "ru"), _day(cycle.ends_on, "ru")
    kk = [
        f"{start_kk} – {end_kk} аралығында «{title_kk}» өтті: жоспарланған {grouped(figures.planned)} "
        f"кездесудің {kazakh_part(figures.held)} өткізілді.",
        *_questions_kk(figures, single=False),
        f"Деректер {_as_of('kk')} жағдай бойынша келтірілген.",
    ]
    meetings_ru = genitive(figures.planned, "запланированной встречи", "запланированных встреч")
    ru = [
        f"С {start_ru} по {end_ru} прошли «{title_ru}»: из {grouped(figures.planned)} {meetings_ru} "
        f"проведено {grouped(figures.held)}.",
        *_questions_ru(figures, single=False),
        f"Данные приведены по состоянию на {_as_of('ru')}.",
    ]
    return _document(
        title_kk=f"{title_kk}: қорытынды",
        title_ru=f"{title_ru}: итоги",
        territory=cycle.unit.slug,
        day=timezone.localdate(),
        kk=kk,
        ru=ru,
    )


def meeting_press_release(*, meeting: Meeting) -> str:
    """One meeting's draft, in the same words."""
    figures = meeting_press_figures(meeting=meeting)
    day = timezone.localdate(meeting.starts_at)
    title_kk = meeting.title_kk
    title_ru = meeting.title_ru or meeting.title_kk
    kk = [
        f"{_day(day, 'kk')} «{title_kk}» өтті.",
        *_questions_kk(figures, single=True),
        f"Деректер {_as_of('kk')} жағдай бойынша келтірілген.",
    ]
    ru = [
        f"{_day(day, 'ru')} прошла встреча «{title_ru}».",
        *_questions_ru(figures, single=True),
        f"Данные приведены по состоянию на {_as_of('ru')}.",
    ]
    return _document(
        title_kk=f"{title_kk}: қорытынды",
        title_ru=f"{title_ru}: итоги",
        territory=meeting.unit.slug,
        day=timezone.localdate(),
        kk=kk,
        ru=ru,
    )
