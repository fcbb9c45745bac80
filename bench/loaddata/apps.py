from django.apps import AppConfig


class LoadDataConfig(AppConfig):
    """The benchmark's national-scale data set (`manage.py generate_load_data`). Installed only by
    bench/settings.py: the portal itself never loads it."""

    name = "bench.loaddata"
    label = "bench_loaddata"
