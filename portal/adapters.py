import math
import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit
from django import forms
from django.contrib.auth.models import Group
from django.contrib.sites.shortcuts import get_current_site
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import ngettext

from portal import roles
from portal.models import User
from portal.tasks import send_email

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

    def send_mail(self, template_prefix, email, context):
        """Rendered here (the templates need the request), sent by the task worker: no answer waits
        for the mail server, so a sign-up for a new address and one for a known address (each
        enqueues one mail) take the same time."""
        request = allauth_context.request
        message = self.render_mail(template_prefix, email, {
            "request": request, "email": email, "current_site": get_current_site(request), **context})
        html = next((content for content, mimetype in getattr(message, "alternatives", ())
                     if mimetype == "text/html"), "")
        send_email.enqueue(to=email, subject=message.subject, body=message.body, html=html)

    def pre_authenticate(self, request, **credentials):
        """allauth's refusal names no wait; this one says which limit holds and for how long."""
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError as exc:
            per, seconds = self._login_failed_wait(request, **credentials)
            minutes = max(1, math.ceil(seconds / 60))
            if per == "ip":
                text = ngettext(
                    "Too many failed sign-ins from this network. Try again in %(minutes)d minute.",
                    "Too many failed sign-ins from this network. Try again in %(minutes)d minutes.",
                    minutes)
            else:
                text = ngettext(
                    "Too many failed attempts for this account. Try again in %(minutes)d minute.",
                    "Too many failed attempts for this account. Try again in %(minutes)d minutes.",
                    minutes)
            raise forms.ValidationError(text % {"minutes": minutes}, code=exc.code) from exc

    def _login_failed_wait(self, request, **credentials) -> tuple[str, float]:
        """The login_failed rule that is full ("key": this account, "ip": this address) and the
        seconds until its oldest counted failure leaves the window. Read from allauth's own counters
        (newest first), in the order allauth checks the rules."""
        key = self._get_login_attempts_cache_key(request, **credentials)
        rates = ratelimit.get_rates(app="allauth.account", action="login_failed")
        now = time.time()
        for rate in rates:
            cache_key = ratelimit.get_cache_key(
                request, app="allauth.account", action="login_failed", rate=rate, key=key)
            history = [stamp for stamp in cache.get(cache_key, []) if stamp > now - rate.duration]
            if len(history) >= rate.amount:
                return rate.per, history[rate.amount - 1] + rate.duration - now
        # The counter's lock was busy (allauth refuses then): the longest window is the honest bound.
        slowest = max(rates, key=lambda rate: rate.duration)
        return slowest.per, slowest.duration
