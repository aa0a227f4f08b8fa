"""Hostile and broken input: nothing executable survives, nothing half-saved, text kept."""

import re
import time
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from community import services
from community.chat import services as chat_services
from community.models import Post, Topic
from content.services import add_store_staff
from tests.factories import PASSWORD, make_topic, make_user, trusted

pytestmark = pytest.mark.django_db

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<iframe src=https://evil.example></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "[a](vbscript:msgbox(1))",
    "<<script>script>alert(1)<</script>/script>",
    '"><body onload=alert(1)>',
    "<details open ontoggle=alert(1)>",
]
SAFE_TAGS = {"a", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "hr", "i", "img",
             "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead", "tr",
             "ul"}


class Markup(HTMLParser):
    """Every element and attribute a browser would build from the stored HTML."""

    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)


def executable(html: str) -> list[str]:
    parser = Markup()
    parser.feed(html)
    found = [tag for tag in parser.tags if tag not in SAFE_TAGS]
    for name, value in parser.attrs:
        if name.startswith("on") or name == "style":
            found.append(name)
        if name in ("href", "src") and not re.match(r"^(https?:|mailto:|/|#)", value or ""):
            found.append(f"{name}={value}")
    return found


@pytest.mark.parametrize("vector", XSS)
def test_no_xss_vector_survives_as_markup(member, questions, vector):
    trusted(member)
    topic = services.create_topic(author=member, category=questions, title="x", body=vector)
    html = topic.posts.get().html
    assert executable(html) == [], html


def test_links_get_rel_nofollow_ugc_noopener(member, questions):
    trusted(member)
    topic = services.create_topic(author=member, category=questions, title="x",
                                  body="[tips](https://tend.example/tips/)")
    assert 'rel="nofollow ugc noopener"' in topic.posts.get().html


@pytest.mark.parametrize(("body", "error"), [
    ("", "This field is required."),
    ("   ", "This field is required."),
    ("x" * 50_000, "Ensure this value has at most 20000 characters"),
])
def test_empty_or_huge_posts_are_form_errors(client, member, questions, body, error):
    topic = make_topic(questions, member)
    client.login(email=member.email, password=PASSWORD)
    response = client.post(topic.get_absolute_url(), {"body": body})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert Post.objects.count() == 1


def test_broken_markdown_renders_safely(member, questions):
    trusted(member)
    body = "**unclosed *nested [link](https://a.example \n```\nno end\n> > >"
    topic = services.create_topic(author=member, category=questions, title="x", body=body)
    post = topic.posts.get()
    assert post.source == body and post.html


@pytest.mark.parametrize("upload", [
    SimpleUploadedFile("evil.png", b"<?php system($_GET['c']); ?>", content_type="image/png"),
    SimpleUploadedFile("a.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif"),
    SimpleUploadedFile("trunc.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", content_type="image/jpeg"),
])
def test_bad_images_are_form_errors_and_keep_the_text(client, member, questions, upload):
    client.login(email=member.email, password=PASSWORD)
    response = client.post("/community/members/new/", {
        "category": questions.pk, "title": "Nails", "body": "my careful words", "image": upload})
    text = response.content.decode()
    assert response.status_code == 200
    assert "JPEG, PNG or WebP" in text and "my careful words" in text
    assert not Topic.objects.exists() and not Post.objects.exists()


def test_forged_category_id_is_a_form_error(client, member):
    client.login(email=member.email, password=PASSWORD)
    response = client.post("/community/members/new/",
                           {"category": 99999, "title": "t", "body": "kept"})
    assert "Select a valid choice" in response.content.decode()
    assert not Topic.objects.exists()


def test_member_posting_to_providers_forum_is_403_and_nothing_saved(client, member, voice,
                                                                    providers_topic):
    client.login(email=member.email, password=PASSWORD)
    assert client.post("/community/providers/new/", {
        "category": voice.pk, "title": "t", "body": "b"}).status_code == 403
    assert client.post(providers_topic.get_absolute_url(), {"body": "b"}).status_code == 403
    assert Post.objects.count() == 1


def test_the_checker_itself_catches_raw_vectors():
    assert executable('<img src=x onerror=alert(1)><a href="javascript:x">y</a><svg></svg>')


def test_chat_drops_nul_characters_that_postgresql_cannot_store(member, lounge):
    # Forms refuse NUL; the chat socket has no form, and on PostgreSQL a NUL made the save raise, the
    # socket close and the page resend the same message on every reconnect.
    message, _created = chat_services.post_message(author=member, room=lounge, body="hi\x00 there",
                                                   client_id="n\x00ul")
    assert message.body == "hi there"
    chat_services.edit_message(user=member, message_id=message.pk, body="bye\x00")
    report = chat_services.report_message(reporter=member, message_id=message.pk, reason="spam\x00")
    message.refresh_from_db()
    assert (message.body, report.reason) == ("bye", "spam")


def test_a_rate_bucket_left_without_expiry_mutes_only_until_a_token_refills(member, lounge):
    # What a cache could keep past its expiry: the bucket emptied. It holds the moment the bucket is
    # full again, so it never mutes for longer than one refill.
    full_again = time.time() + chat_services.RATE_BURST / chat_services.RATE_PER_SECOND
    cache.set(f"chat-bucket:{member.pk}", full_again, None)
    with pytest.raises(chat_services.ChatError) as refused:
        chat_services.post_message(author=member, room=lounge, body="hi", client_id="a")
    assert refused.value.code == "rate_limited"
    assert 0 < refused.value.retry_after <= 1 / chat_services.RATE_PER_SECOND + 0.1
    time.sleep(refused.value.retry_after)
    _message, created = chat_services.post_message(author=member, room=lounge, body="hi", client_id="a")
    assert created


# Ids no row can have: past SQLite's and PostgreSQL's 64-bit keys, zero, and a digit int() refuses.
FORGED_IDS = ["99999999999999999999", str(2**63), "0", "²", "abc"]


@pytest.mark.parametrize("forged", FORGED_IDS)
def test_forged_store_and_practitioner_ids_are_form_errors(client, member, questions, store, forged):
    client.login(email=member.email, password=PASSWORD)
    response = client.post("/community/members/new/", {
        "category": questions.pk, "title": "Where?", "body": "my careful words", "store": forged,
        "practitioner": forged})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in text and "my careful words" in text
    assert not Topic.objects.exists()


@pytest.mark.parametrize("forged", FORGED_IDS)
def test_forged_store_of_a_recorded_visit_is_a_form_error(client, store, forged):
    staff = make_user("staff@example.com")
    add_store_staff(user=staff, store=store)
    client.force_login(staff)
    response = client.post("/community/visits/new/", {
        "member": "someone@example.com", "store": forged, "date": "2026-11-21", "practitioner": forged})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("forged", FORGED_IDS)
def test_forged_store_for_customer_service_asks_to_choose_one(client, member, store, forged):
    client.force_login(member)
    response = client.post("/chat/service/", {"store": forged}, follow=True)
    assert response.redirect_chain[-1][0] == "/chat/"
    assert "Choose a store." in response.content.decode()


@pytest.mark.parametrize("forged", FORGED_IDS)
def test_forged_category_and_quote_in_the_address_are_ignored(client, member, members_topic, forged):
    client.force_login(member)
    assert client.get(f"/community/members/?category={forged}").status_code == 200
    response = client.get(f"{members_topic.get_absolute_url()}?quote={forged}")
    assert response.status_code == 200 and "&gt; **@" not in response.content.decode()
