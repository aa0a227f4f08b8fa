"""{% blank_form %} keeps a blank form's fields rendered per form class and language, and puts in
each view's own hidden values."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from community.forms import ReplyForm

pytestmark = pytest.mark.django_db
TEMPLATE = Template("{% load blank_forms %}{% blank_form form %}")


def render(form) -> str:
    return TEMPLATE.render(Context({"form": form}))


def token(html: str) -> str:
    return re.search(r'name="token" value="([0-9a-f]{32})"', html).group(1)


def test_each_view_gets_its_own_token_from_the_kept_fields():
    first, second = ReplyForm(), ReplyForm()
    one, two = render(first), render(second)
    assert token(one) == first["token"].value() and token(two) == second["token"].value()
    assert token(one) != token(two)
    assert one.replace(token(one), "") == two.replace(token(two), "")
    assert "@@" not in two and 'name="body"' in two


def test_languages_are_kept_apart():
    with translation.override("zh-hant"):
        chinese = render(ReplyForm())
    english = render(ReplyForm())
    assert "Your post" in english and "Your post" not in chinese


def test_a_bound_or_quoting_form_is_rendered_as_it_is():
    render(ReplyForm())
    bound = ReplyForm({"body": "", "token": "abc"})
    assert "This field is required." in render(bound)
    assert "&gt; quoted words" in render(ReplyForm(initial={"body": "> quoted words"}))
