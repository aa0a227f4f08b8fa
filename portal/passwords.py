"""Password rules (OWASP ASVS 4, level 2): at least 12 characters and at most 128, any characters,
common and look-alike passwords refused by Django's validators (settings.AUTH_PASSWORD_VALIDATORS)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MaximumLengthValidator:
    """Long passphrases are welcome; past 128 characters a password is refused (ASVS 2.1.2), which also
    bounds what one sign-in attempt costs to hash."""

    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "This password is too long. It must contain at most %(max_length)d character.",
                    "This password is too long. It must contain at most %(max_length)d characters.",
                    self.max_length,
                ),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self):
        return _(
            "Any characters are allowed, spaces too, up to %(max_length)d: a few unrelated words make "
            "a passphrase that is easy to remember and hard to guess."
        ) % {"max_length": self.max_length}
