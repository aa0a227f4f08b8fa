from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.models import Group
from django.utils import translation

from portal import roles
from portal.models import User

REFERRAL_SESSION_KEY = "referral_code"


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """A new account is a member, keeps the language it signed up in, and its referrer."""
        user = super().save_user(request, user, form, commit=False)
        user.language = user.language or translation.get_language() or ""
        code = request.session.pop(REFERRAL_SESSION_KEY, None) if request else None
        referrer = User.objects.filter(referral_code=code).first() if code else None
        # Only a brand-new account is tied to a referrer, never to itself.
        if referrer and referrer.email.lower() != (user.email or "").lower():
            user.referred_by = referrer
            user.joined_via = User.JoinedVia.REFERRAL
        if commit:
            user.save()
            group, _created = Group.objects.get_or_create(name=roles.MEMBERS)
            user.groups.add(group)
        return user
