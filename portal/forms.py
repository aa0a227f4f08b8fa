from allauth.account import forms as account_forms
from django import forms
from django.contrib.auth.hashers import make_password
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from portal import notifications
from portal.images import clean_image
from portal.models import NotificationPreference, ProviderApplication, User


class LanguageSelect(forms.Select):
    """Each language named in itself ("English", "繁體中文"), as the header's switch does, and marked
    with its `lang` so a screen reader says it in that language (WCAG 3.1.2)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value:
            info = get_language_info(str(value))
            option["label"] = info["name_local"]
            option["attrs"]["lang"] = "zh-Hant" if value == "zh-hant" else str(value)
        return option


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "avatar", "bio", "language", "home_store"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4}), "language": LanguageSelect}
        help_texts = {"avatar": _("JPEG, PNG or WebP, at most 5 MB.")}

    def clean_display_name(self):
        return self.cleaned_data["display_name"].strip()

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and hasattr(avatar, "content_type"):
            return clean_image(avatar, max_side=512)
        return avatar


class ProviderApplicationForm(forms.ModelForm):
    class Meta:
        model = ProviderApplication
        fields = ["specialties", "years_experience", "home_store", "certificate"]
        help_texts = {
            "specialties": _("For example: gel manicure, nail art, scalp care."),
            "certificate": _("A photo of your licence or training certificate (JPEG, PNG or WebP)."),
        }

    def clean_years_experience(self):
        years = self.cleaned_data["years_experience"]
        if years > 60:
            raise forms.ValidationError(_("Enter a number of years between 0 and 60."))
        return years

    def clean_certificate(self):
        return clean_image(self.cleaned_data["certificate"])


class NotificationPreferencesForm(forms.Form):
    """One choice per registered kind, among the channels the kind allows (a conversation cannot be
    turned off)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        saved = dict(
            NotificationPreference.objects.filter(user=user).values_list("kind", "channel")
        )
        for key, kind in sorted(notifications.KINDS.items()):
            self.fields[key] = forms.ChoiceField(
                label=kind.label,
                choices=[
                    (value, text) for value, text in NotificationPreference.Channel.choices
                    if value in kind.channels
                ],
                initial=saved.get(key, kind.default),
                widget=forms.RadioSelect,
            )


class SignupForm(account_forms.SignupForm):
    def try_save(self, request):
        # A new account costs a password hash. The answer for an address that has an account (a mail
        # saying so) costs the same one, so the time taken does not tell which addresses are members.
        if self.account_already_exists:
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)
