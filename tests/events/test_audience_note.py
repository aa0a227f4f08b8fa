"""A providers-only event tells members why they cannot register instead of a button that refuses."""

import pytest
from django.urls import reverse

from events.models import EventPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def providers_event(make_event):
    return make_event(title="Advanced gel", audience=EventPage.Audience.PROVIDERS)


def test_member_sees_for_verified_providers_not_register(client, member, providers_event):
    client.force_login(member)
    html = client.get(providers_event.url).content.decode()
    assert reverse("events:register", args=[providers_event.slug]) not in html
    assert "For verified providers" in html and 'href="/me/provider/"' in html


def test_visitor_is_told_too(client, providers_event):
    html = client.get(providers_event.url).content.decode()
    assert "For verified providers" in html and "Sign in to register" in html


def test_provider_gets_the_register_button(client, provider, providers_event):
    client.force_login(provider)
    html = client.get(providers_event.url).content.decode()
    assert reverse("events:register", args=[providers_event.slug]) in html
    assert "For verified providers" not in html


def test_member_still_registers_for_a_members_event(client, member, make_event):
    event = make_event()
    client.force_login(member)
    html = client.get(event.url).content.decode()
    assert reverse("events:register", args=[event.slug]) in html and "data-audience-note" not in html
