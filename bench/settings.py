"""Settings of the benchmark server: the portal's own, plus one bare page to compare with."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]  # noqa: F405
