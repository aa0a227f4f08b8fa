"""Query shapes the apps share."""

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_per_row(rows: QuerySet, field: str):
    """An annotation: how many of `rows` point at the outer row through `field` (0 when none).
    A subquery per listed row, not a join grouped by every column of the outer query: only the
    rows a page shows are counted, and wide page models are not grouped."""
    return Coalesce(Subquery(
        rows.filter(**{field: OuterRef("pk")}).order_by().values(field)
        .annotate(n=Count("pk")).values("n")
    ), 0)
