import pytest
from django.urls import reverse

from portal.models import User
from tests.factories import PASSWORD


def _signup(client, email):
    return client.post(reverse("account_signup"),
                       {"email": email, "password1": PASSWORD, "password2": PASSWORD})


@pytest.mark.django_db
def test_referral_link_ties_the_new_member_to_the_referrer(client, member):
    response = client.get(reverse("referral", args=[member.referral_code]))
    assert response["Location"] == reverse("account_signup")
    _signup(client, "friend@example.com")
    friend = User.objects.get(email="friend@example.com")
    assert friend.referred_by == member
    assert friend.joined_via == User.JoinedVia.REFERRAL


@pytest.mark.django_db
def test_signup_without_a_link_has_no_referrer(client, member):
    _signup(client, "plain@example.com")
    user = User.objects.get(email="plain@example.com")
    assert user.referred_by is None and user.joined_via == User.JoinedVia.ONLINE


@pytest.mark.django_db
def test_unknown_code_still_leads_to_signup_without_a_referrer(client):
    response = client.get(reverse("referral", args=["nope"]))
    assert response["Location"] == reverse("account_signup")
    _signup(client, "x@example.com")
    assert User.objects.get(email="x@example.com").referred_by is None


@pytest.mark.django_db
def test_existing_account_is_never_tied_to_a_referrer(client, member, other_member):
    client.force_login(other_member)
    response = client.get(reverse("referral", args=[member.referral_code]))
    assert response["Location"] == reverse("portal:dashboard")
    client.logout()
    # Signing up again with an existing e-mail creates nothing and changes nothing.
    client.get(reverse("referral", args=[member.referral_code]))
    _signup(client, other_member.email)
    other_member.refresh_from_db()
    assert other_member.referred_by is None
    assert User.objects.filter(email=other_member.email).count() == 1


@pytest.mark.django_db
def test_dashboard_shows_my_invitation_link(client, member):
    client.force_login(member)
    body = client.get("/me/").content.decode()
    assert f"/r/{member.referral_code}/" in body


@pytest.mark.django_db
def test_referral_codes_are_unique_and_unguessable(member, other_member):
    assert member.referral_code != other_member.referral_code
    assert len(member.referral_code) >= 8
