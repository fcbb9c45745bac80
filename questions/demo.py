"""Demo data for questions (filled by its issue)."""


def seed() -> None:
    return None
