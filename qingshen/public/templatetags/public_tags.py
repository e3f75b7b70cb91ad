from django import template

from qingshen.cases.states import PUBLIC_LABELS

register = template.Library()


@register.filter
def public_stage(state: str) -> str:
    """The public name of a case's stage (coarser than the internal one)."""
    return str(PUBLIC_LABELS.get(state, ""))
