"""Keep the plain-text search index in step with publishing (a search concern, not a rule)."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from content import services


@receiver(page_published)
def index_published_page(sender, instance, **kwargs):
    services.index_page(page=instance)


@receiver(page_unpublished)
def drop_unpublished_page(sender, instance, **kwargs):
    services.unindex_page(page=instance)
