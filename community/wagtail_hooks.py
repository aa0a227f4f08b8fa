"""Moderators edit forum categories in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from community.models import Category


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = _("Forum categories")
    add_to_admin_menu = True
    list_display = ["name", "forum", "position"]
    list_filter = ["forum"]
    ordering = ["forum", "position"]


register_snippet(CategoryViewSet)
