"""allauth's own Traditional Chinese leaves English words ("authenticator", "token") in its pages.
Our catalogue (LOCALE_PATHS, read before the apps' own) translates these msgids again; naming them here
keeps them in it when `make messages` runs, as it keeps only msgids found in our source."""

from django.utils.translation import gettext_noop

RETRANSLATED = (
    gettext_noop("An authenticator app is not active."),
    gettext_noop("Authenticator secret"),
    gettext_noop("You can store this secret and use it to reinstall your authenticator app at a later time."),
    gettext_noop("You are about to deactivate authenticator app based authentication. Are you sure?"),
    gettext_noop("Bad Token"),
)
