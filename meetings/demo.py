"""Demo data for meetings (filled by its issue)."""


def seed() -> None:
    return None
