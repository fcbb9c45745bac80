"""Russian numbers with their nouns, as press releases write them."""


def plural(count: int, one: str, few: str, many: str) -> str:
    """The noun form a number takes: 1 вопрос, 2 вопроса, 5 вопросов, 21 вопрос, 11 вопросов."""
    if count % 10 == 1 and count % 100 != 11:
        return one
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many


def genitive(count: int, singular: str, plural_form: str) -> str:
    """After "около", "более", "из": the genitive, singular only for a number read ending in one
    ("около 21 вопроса", "около 880 вопросов")."""
    return singular if count % 10 == 1 and count % 100 != 11 else plural_form
