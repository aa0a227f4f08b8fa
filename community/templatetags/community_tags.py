from django import template

from community import selectors

register = template.Library()


@register.inclusion_tag("community/store_reviews.html")
def store_reviews(store):
    """Averages, count and latest reviews of a store: `{% load community_tags %}{% store_reviews page %}`."""
    return {"summary": selectors.store_review_summary(store)}
