"""Demo data for reports (filled by its issue)."""


def seed() -> None:
    return None
