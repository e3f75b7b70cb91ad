"""The bar's menus kept per language and set of menus (web/templatetags/nav_tags.py): each user gets the
menus drawn for their own answers, whoever was served before them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, Template
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils import translation

from qingshen.web.context_processors import MENU_FLAGS, role_menu


def _drawn(user):
    request = RequestFactory().get("/")
    request.user = user
    kept = Template("{% load nav_tags %}{% nav_menus %}").render(RequestContext(request))
    fresh = get_template("_nav_menus.html").template.render(RequestContext(request))
    return kept, fresh


def test_the_flags_are_every_answer_of_role_menu(world):
    request = RequestFactory().get("/")
    request.user = world.users["city"]
    assert set(role_menu(request)) == set(MENU_FLAGS)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_user_gets_the_menus_of_their_own_answers(world, language):
    users = [*world.users.values(), AnonymousUser(), *reversed(world.users.values())]
    seen = set()
    with translation.override(language):
        for user in users:
            kept, fresh = _drawn(user)
            assert kept == fresh, getattr(user, "role", "anonymous")
            seen.add(kept)
    assert len(seen) > 4  # the roles are offered different menus
