from django import template

from events import reward_selectors, selectors

register = template.Library()


@register.inclusion_tag("events/includes/my_events.html", takes_context=True)
def my_events(context):
    upcoming, past = selectors.list_member_registrations(context["request"].user)
    return {"upcoming": upcoming, "past": past[:10]}


@register.inclusion_tag("events/includes/my_rewards.html", takes_context=True)
def my_rewards(context):
    user = context["request"].user
    return {
        "balance": reward_selectors.get_balance(user),
        "usable": reward_selectors.count_usable_coupons(user),
        "badges": user.badge_labels,
    }
