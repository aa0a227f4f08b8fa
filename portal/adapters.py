from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.models import Group
from django.utils import translation

from portal import roles


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """A new account is a member and keeps the language it signed up in."""
        user = super().save_user(request, user, form, commit=False)
        user.language = user.language or translation.get_language() or ""
        if commit:
            user.save()
            group, _created = Group.objects.get_or_create(name=roles.MEMBERS)
            user.groups.add(group)
        return user
