"""The navigation bar's menus (_nav_menus.html), drawn once per language, URL configuration and set of
menus the user is offered, then kept for the process: every page shows them, and their thirty-odd
links and labels were a fifth of a light page's time. What the menus show depends on nothing else
(the user's own name, the language form and the tokens stay in base.html, drawn on each request)."""

from django import template
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

from qingshen.web.context_processors import MENU_FLAGS

register = template.Library()

# (language, script prefix, URL configuration, logged in, an expert, the menu answers) → the menus' HTML.
_DRAWN: dict[tuple, str] = {}


def _answer(value) -> bool:
    # role_menu gives some answers as callables, as the template would call them.
    return bool(value() if callable(value) else value)


@register.simple_tag(takes_context=True)
def nav_menus(context) -> str:
    user = context.get("user")
    logged_in = bool(user is not None and user.is_authenticated)
    answers = tuple(_answer(context.get(name)) for name in MENU_FLAGS) if logged_in else ()
    expert = logged_in and user.role == "expert"
    key = (get_language(), get_script_prefix(), get_urlconf(), logged_in, expert, answers)
    html = _DRAWN.get(key)
    if html is None:
        html = _DRAWN[key] = context.template.engine.get_template("_nav_menus.html").render(context)
    return html
