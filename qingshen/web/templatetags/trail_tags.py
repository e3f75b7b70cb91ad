from django import template

from qingshen.trail.labels import action_label as _action_label

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return _action_label(action)


@register.filter
def state_label(value: str) -> str:
    from qingshen.cases.states import State

    return State(value).label if value in State.values else value


@register.filter
def masked(value: str) -> str:
    """Personal data in lists: 138****5678."""
    from qingshen.core.masking import mask

    return mask(value or "")
