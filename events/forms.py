from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import EventPage


class EventFilterForm(forms.Form):
    store = forms.ChoiceField(label=_("Store"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *EventPage.Kind.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    seats_left = forms.BooleanField(label=_("Seats left only"), required=False)

    def __init__(self, *args, stores=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].choices = [("", _("All stores")), *((s.slug, s.title) for s in stores)]


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("What did you think?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PhotoForm(forms.Form):
    image = forms.ImageField(label=_("Photo"))
    caption = forms.CharField(label=_("Caption"), required=False, max_length=200)


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Ticket or coupon code"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}),
    )
