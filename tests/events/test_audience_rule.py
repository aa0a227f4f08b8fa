"""One audience rule: who may register for an event and who may redeem a reward (and see it in the
catalogue) is decided by events.selectors.audience_allows, for both."""

import pytest
from django.contrib.auth.models import AnonymousUser

from events import selectors, services
from events.errors import RegistrationError, RewardError
from events.models import EventPage, Reward
from events.rewards import selectors as reward_selectors
from events.rewards import services as reward_services
from tests.factories import give_points

pytestmark = pytest.mark.django_db

# (event audience, reward audience) that mean the same people.
AUDIENCES = {
    "members": (EventPage.Audience.MEMBERS, Reward.Audience.MEMBERS),
    "providers": (EventPage.Audience.PROVIDERS, Reward.Audience.PROVIDERS),
    "everyone": (EventPage.Audience.SIGNED_IN, Reward.Audience.ALL),
}
ALLOWED = {
    ("member", "members"): True, ("member", "providers"): False, ("member", "everyone"): True,
    ("provider", "members"): True, ("provider", "providers"): True, ("provider", "everyone"): True,
    # Store staff are signed in but neither members nor providers.
    ("staff", "members"): False, ("staff", "providers"): False, ("staff", "everyone"): True,
}


@pytest.fixture
def people(member, provider, staff):
    return {"member": member, "provider": provider, "staff": staff}


@pytest.mark.parametrize("who, audience", sorted(ALLOWED))
def test_registration_redemption_and_catalogue_follow_the_one_rule(
        who, audience, people, make_event, make_reward):
    user, (event_audience, reward_audience) = people[who], AUDIENCES[audience]
    allowed = ALLOWED[who, audience]
    assert selectors.audience_allows(event_audience, user) is allowed
    assert selectors.audience_allows(reward_audience, user) is allowed

    event = make_event(audience=event_audience)
    try:
        services.register_for_event(event=event, member=user)
        registered = True
    except RegistrationError as exc:
        assert exc.code in ("members_only", "providers_only")
        registered = False
    assert registered is allowed

    reward = make_reward(audience=reward_audience)
    assert (reward in reward_selectors.list_available_rewards(user)) is allowed
    give_points(user, 100)
    try:
        reward_services.redeem_reward(member=user, reward=reward)
        redeemed = True
    except RewardError as exc:
        assert exc.code == "wrong_audience"
        redeemed = False
    assert redeemed is allowed


def test_nobody_signed_out_is_in_an_audience():
    for audience in (*EventPage.Audience, *Reward.Audience):
        assert not selectors.audience_allows(audience, AnonymousUser())


def test_the_catalogue_offers_no_members_reward_to_an_account_outside_members(staff, make_reward):
    """It listed one to every signed-in account, and redeeming it was then refused."""
    make_reward(title="Members' gloss", audience=Reward.Audience.MEMBERS)
    everyone = make_reward(title="Everyone's gloss", audience=Reward.Audience.ALL)
    assert list(reward_selectors.list_available_rewards(staff)) == [everyone]
