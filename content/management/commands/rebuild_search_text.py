from django.core.management.base import BaseCommand
from wagtail.models import Page

from content import services
from content.models import SearchText


class Command(BaseCommand):
    help = "Rebuild the plain-text search index from the live pages (after an import or restore)."

    def handle(self, *args, **options):
        SearchText.objects.exclude(page__live=True).delete()
        pages = Page.objects.live().filter(depth__gt=1).specific()
        for page in pages:
            services.index_page(page=page)
        self.stdout.write(f"indexed {len(pages)} pages")
