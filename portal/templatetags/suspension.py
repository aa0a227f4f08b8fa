from django import template

from portal.selectors import suspension_of

register = template.Library()


@register.inclusion_tag("includes/suspension_notice.html", takes_context=True)
def suspension_notice(context):
    """`{% load suspension %}{% suspension_notice %}`: the suspended member's notice, nothing for
    anyone else. Put it wherever a suspended member would act."""
    user = context.get("user")  # absent where a template renders without a request
    return {"suspension": suspension_of(user) if user is not None else None}
