from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.filter(name="abs")
def absolute(value):
    try:
        return abs(int(value))
    except (TypeError, ValueError):
        return value


@register.filter
def level_label(value) -> str:
    from qingshen.cases.states import level_label as label

    return label(value)


@register.filter
def due_class(left):
    """CSS class of a deadline that is `left` days away (negative: overdue)."""
    if left is None:
        return ""
    if left < 0:
        return "overdue"
    if left <= settings.QINGSHEN_DUE_SOON_DAYS:
        return "due-soon"
    return ""


@register.simple_tag
def due_html(due, left) -> SafeString:
    """A deadline as the lists show it: its date and how many days are left (or overdue), coloured as
    `due_class` says; "—" when there is none. Drawn in Python: the case list shows one per row."""
    if not due:
        return mark_safe("—")
    if left < 0:
        days = -left
        when = ngettext("%(days)s day overdue", "%(days)s days overdue", days) % {"days": days}
    elif left == 0:
        when = gettext("due today")
    else:
        when = ngettext("%(days)s day left", "%(days)s days left", left) % {"days": left}
    return format_html('<span class="{}">{}\n({})</span>', due_class(left), due.strftime("%Y-%m-%d"), when)
