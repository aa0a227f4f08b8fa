"""Provider tiers and member badges (derived by events' rewards) show next to names in forums and chat."""

import pytest

from community.chat.models import Message
from community.chat.services import message_frame
from portal.models import User

pytestmark = pytest.mark.django_db


def _recognise(user, tier="", badges=()):
    User.objects.filter(pk=user.pk).update(provider_tier=tier, badges=list(badges))
    user.refresh_from_db()


def test_topic_shows_the_authors_tier_and_badges(client, providers_topic, provider):
    _recognise(provider, "excellent", ["first_event"])
    client.force_login(provider)
    body = client.get(providers_topic.get_absolute_url()).content.decode()
    assert "tier-excellent" in body and "First event" in body


def test_chat_frames_carry_the_tier(provider):
    _recognise(provider, "good")
    frame = message_frame(Message(author=provider, body="hi", seq=1), staff=False)
    assert (frame["tier"], frame["tier_label"]) == ("good", "Good")
