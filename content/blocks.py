"""StreamField blocks shared by tips, stories, the brand story and courses."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link"])
    image = ImageChooserBlock(label=_("image"), required=False)

    class Meta:
        icon = "list-ol"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"), choices=[("tip", _("Tip")), ("warning", _("Warning"))], default="tip"
    )
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link"])

    class Meta:
        icon = "help"
        template = "content/blocks/callout.html"


class BeforeAfterBlock(blocks.StructBlock):
    before = ImageChooserBlock(label=_("before"))
    after = ImageChooserBlock(label=_("after"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        template = "content/blocks/before_after.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "content/blocks/quote.html"


class TimelineEntryBlock(blocks.StructBlock):
    when = blocks.CharBlock(label=_("when"), max_length=40)
    title = blocks.CharBlock(label=_("title"), max_length=120)
    text = blocks.TextBlock(label=_("text"), required=False)


class TimelineBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(TimelineEntryBlock(), **kwargs)

    class Meta:
        icon = "history"
        template = "content/blocks/timeline.html"


class StepsBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(StepBlock(), **kwargs)

    class Meta:
        icon = "list-ol"
        template = "content/blocks/steps.html"


def body_blocks():
    """The blocks every article uses; a fresh list each time so fields never share instances."""
    return [
        ("heading", blocks.CharBlock(label=_("heading"), max_length=120,
                                     template="content/blocks/heading.html", icon="title")),
        ("paragraph", blocks.RichTextBlock(label=_("paragraph"))),
        ("steps", StepsBlock(label=_("numbered steps"))),
        ("callout", CalloutBlock(label=_("callout"))),
        ("before_after", BeforeAfterBlock(label=_("before and after"))),
        ("embed", EmbedBlock(label=_("embed"))),
        ("quote", QuoteBlock(label=_("quote"))),
    ]


def story_blocks():
    return body_blocks() + [("timeline", TimelineBlock(label=_("timeline")))]


class LessonBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    summary = blocks.TextBlock(label=_("summary"), required=False)
    video = EmbedBlock(label=_("video"), required=False)
    steps = StepsBlock(label=_("steps"), required=False)
    documents = blocks.ListBlock(DocumentChooserBlock(), label=_("documents"), required=False)

    class Meta:
        icon = "pick"
        template = "content/blocks/lesson.html"
