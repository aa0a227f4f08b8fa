from django.contrib.syndication.views import Feed
from django.utils.translation import gettext_lazy as _

from content.models import CareTipPage, CaseStudyPage


class _PageFeed(Feed):
    model = None

    def items(self):
        return (
            self.model.objects.live().public().defer_streamfields()
            .order_by("-first_published_at")[:20]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.full_url

    def item_pubdate(self, item):
        return item.first_published_at


class TipsFeed(_PageFeed):
    model = CareTipPage
    title = _("Tend care tips")
    link = "/tips/"
    description = _("New care tips from Tend's practitioners.")


class StoriesFeed(_PageFeed):
    model = CaseStudyPage
    title = _("Tend customer stories")
    link = "/stories/"
    description = _("How our customers fit care into their lives.")
