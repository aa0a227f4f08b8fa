import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from community import selectors
from community.models import Category, Report
from content.models import PractitionerPage, StorePage
from content.selectors import staffed_store_ids
from portal.ids import IdChoiceField
from portal.images import clean_image
from portal.models import User

MAX_BODY = 20_000


class BodyField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Your post"),
            max_length=MAX_BODY,
            widget=forms.Textarea(attrs={"rows": 6}),
            help_text=_("Markdown: **bold**, *italic*, > quote, - list, [link](https://…). "
                        "Mention someone with @name."),
            **kwargs,
        )


def new_token() -> str:
    return uuid.uuid4().hex


class ImageMixin(forms.Form):
    image = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        return clean_image(upload) if upload else None


class PostForm(ImageMixin):
    """A new topic or reply. Its token, new with every page view, makes sending it twice post once."""

    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64, initial=new_token)


class TopicForm(PostForm):
    category = IdChoiceField(label=_("Category"), queryset=Category.objects.none())
    title = forms.CharField(label=_("Title"), max_length=140)
    body = BodyField()
    store = IdChoiceField(
        label=_("Store of the service (optional)"),
        queryset=StorePage.objects.live().order_by("title"),
        required=False,
    )
    practitioner = IdChoiceField(
        label=_("Practitioner who served you (optional)"),
        queryset=PractitionerPage.objects.live().order_by("title"),
        required=False,
    )
    event = IdChoiceField(
        label=_("Event you attended (optional)"), queryset=Page.objects.none(), required=False,
    )
    field_order = ["category", "title", "body", "store", "practitioner", "event", "image"]

    def __init__(self, *args, forum, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this forum's categories: a forged id is a form error, never a post elsewhere.
        self.fields["category"].queryset = Category.objects.filter(forum=forum)
        self.fields["category"].label_from_instance = lambda category: category.name
        # Show-off posts link only events the author attended (their check-in visits).
        events = selectors.attended_events(user)
        if events.exists():
            self.fields["event"].queryset = events
        else:
            del self.fields["event"]


class ReplyForm(PostForm):
    body = BodyField()
    field_order = ["body", "image"]


class EditForm(forms.Form):
    body = BodyField()


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Report.Reason.choices)
    text = forms.CharField(
        label=_("Details (optional)"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MoveForm(forms.Form):
    category = IdChoiceField(
        label=_("Move to"), queryset=Category.objects.select_related("forum")
    )


class SuspendForm(forms.Form):
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=365, initial=7)
    note = forms.CharField(label=_("Reason, shown to the member"), max_length=300)


SCORES = [(n, str(n)) for n in range(1, 6)]


class ReviewForm(forms.Form):
    process = forms.TypedChoiceField(label=_("Process"), choices=SCORES, coerce=int,
                                     widget=forms.RadioSelect)
    courtesy = forms.TypedChoiceField(label=_("Courtesy"), choices=SCORES, coerce=int,
                                      widget=forms.RadioSelect)
    technique = forms.TypedChoiceField(label=_("Technique"), choices=SCORES, coerce=int,
                                       widget=forms.RadioSelect)
    practitioner = IdChoiceField(
        label=_("Practitioner who served you (optional)"),
        queryset=PractitionerPage.objects.none(), required=False,
    )
    text = forms.CharField(label=_("Your review"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["practitioner"]
        if visit.practitioner_id:
            # Staff recorded who served: the review is about them, not a choice.
            del self.fields["practitioner"]
        else:
            field.queryset = visit.store.practitioners.live().order_by("title")
            if not field.queryset.exists():
                del self.fields["practitioner"]


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Your public answer"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class VisitForm(forms.Form):
    member = forms.EmailField(label=_("Member's e-mail"))
    store = IdChoiceField(label=_("Store"), queryset=StorePage.objects.live())
    date = forms.DateField(label=_("Date"), initial=timezone.localdate,
                           widget=forms.DateInput(attrs={"type": "date"}))
    practitioner = IdChoiceField(
        label=_("Served by (optional)"),
        queryset=PractitionerPage.objects.live().order_by("title"), required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not (user.is_superuser or user.is_staff):
            # Store staff record visits at their own stores only (the service checks it too).
            stores = self.fields["store"].queryset.filter(pk__in=staffed_store_ids(user))
            self.fields["store"].queryset = stores
            self.fields["practitioner"].queryset = self.fields["practitioner"].queryset.filter(
                stores__in=stores).distinct()

    def clean_member(self):
        email = self.cleaned_data["member"].lower()
        try:
            return User.objects.get(email=email)
        except User.DoesNotExist:
            raise forms.ValidationError(_("No member has this e-mail address.")) from None
