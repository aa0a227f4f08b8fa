from django.apps import AppConfig


class BenchConfig(AppConfig):
    """`make bench`'s management commands; installed only when TEND_BENCH is on (see settings)."""

    name = "bench"
    verbose_name = "Benchmarks"
