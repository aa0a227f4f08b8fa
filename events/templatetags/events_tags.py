from django import template

from events import selectors

register = template.Library()


@register.inclusion_tag("events/includes/my_events.html", takes_context=True)
def my_events(context):
    upcoming, past = selectors.list_member_registrations(context["request"].user)
    return {"upcoming": upcoming, "past": past[:10]}
