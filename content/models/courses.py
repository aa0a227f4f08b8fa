"""Training courses and their index."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import LessonBlock
from content.models.base import IndexPage, ServiceCategory, TendPage, with_cover


class TrainingCourseIndexPage(IndexPage):
    subpage_types = ["content.TrainingCoursePage"]

    class Meta:
        verbose_name = _("training course index")

    def list_items(self, request):
        return with_cover(
            TrainingCoursePage.objects.child_of(self).live().select_related("category")
        ).order_by("title")


class TrainingCoursePage(TendPage):
    summary = models.CharField(_("summary"), max_length=255)
    cover = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("cover image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    category = models.ForeignKey(ServiceCategory, verbose_name=_("service category"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="courses")
    lessons = StreamField([("lesson", LessonBlock(label=_("lesson")))],
                          verbose_name=_("lessons"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"), FieldPanel("cover"), FieldPanel("category"), FieldPanel("lessons"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["content.TrainingCourseIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
