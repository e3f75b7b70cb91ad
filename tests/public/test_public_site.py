"""The public site: published lists, results and search, with nothing private on any page."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from qingshen.cases.models import AuditCase, Document
from qingshen.registry.models import SearchKey
from qingshen.registry.search_keys import initials_of
from qingshen.reviews.models import Expert, Review, Score
from qingshen.trail.models import Event
from tests import factories as f

SECRETS = [
    "联系人保密甲",
    "13900001111",
    "secret-contact@example.com",
    "内部意见保密乙",
    "省厅退回意见保密丙",
]


@pytest.fixture
def published_world(world):
    """North's case walked to a published result (drawn panel, scores) and stuffed with private data."""
    w = world
    w.programme.refresh_from_db()
    f.walk(w.case_north, "published", city_user=w.users["city"], enterprise_user=w.users["enterprise"])
    ent = w.ent_north
    ent.contact_name, ent.contact_phone, ent.contact_email = SECRETS[0], SECRETS[1], SECRETS[2]
    ent.save()
    Review.objects.filter(case=w.case_north).update(conclusion_reasons=SECRETS[3], requirements=SECRETS[3])
    Score.objects.filter(seat__panel__review__case=w.case_north).update(comment=SECRETS[3])
    AuditCase.objects.filter(pk=w.case_south.pk).update(withdrawn_reason=SECRETS[3])
    type(w.programme).objects.filter(pk=w.programme.pk).update(return_comment=SECRETS[4])
    w.case_north.refresh_from_db()
    return w


def _public_pages(w):
    return [
        reverse("public-lists"),
        reverse("public-list", args=[w.programme.pk]),
        reverse("public-results"),
        reverse("public-search") + "?q=" + w.ent_north.name[:2],
        reverse("public-search") + "?q=" + initials_of(w.ent_north.name),
        reverse("public-search") + "?q=" + w.ent_north.uscc,
        reverse("public-disclosures"),
        reverse("public-procedure"),
    ]


def test_public_pages_show_the_published_case_and_leak_nothing_private(published_world, client):
    w = published_world
    private = list(SECRETS)
    private += [e.name for e in Expert.objects.all()]
    private += [d.original_name for d in Document.objects.filter(case=w.case_north)]
    private += [str(s.total) for s in Score.objects.all()]
    assert Score.objects.exists() and Document.objects.filter(case=w.case_north).exists()
    for url in _public_pages(w):
        html = client.get(url).content.decode()
        for secret in private:
            assert secret not in html, (url, secret)
    results = client.get(reverse("public-results")).content.decode()
    assert f'data-case="{w.case_north.pk}"' in results and 'data-level="II"' in results
    assert f"{w.case_north.result_published_on:%Y-%m-%d}" in results


def test_search_by_name_initials_and_credit_code(published_world, client):
    w = published_world
    url = reverse("public-search")
    key = SearchKey.objects.get(enterprise=w.ent_north)
    assert key.initials == initials_of("北区化工有限公司") == "bqhgyxgs"
    for q in ("化工", "bqhg", "BQHG", w.ent_north.uscc, w.ent_north.uscc.lower()):
        html = client.get(url, {"q": q}).content.decode()
        assert f'data-case="{w.case_north.pk}"' in html, q
        assert f'data-case="{w.case_south.pk}"' not in html, q
    assert 'data-case="' not in client.get(url, {"q": "zzzz"}).content.decode()


def test_a_rename_updates_the_initials(world):
    world.ent_south.name = "重庆三峰环境有限公司"
    world.ent_south.save()
    assert SearchKey.objects.get(enterprise=world.ent_south).initials.startswith("cqsf")


def test_the_public_list_shows_public_stage_names(published_world, client):
    w = published_world
    html = client.get(reverse("public-list", args=[w.programme.pk])).content.decode()
    assert f'data-case="{w.case_north.pk}"' in html and f'data-case="{w.case_south.pk}"' in html
    assert "data-stage=" in html


def test_unpublished_lists_are_not_found(db, client):
    from qingshen.programmes import services as programme_services

    city = f.jurisdiction("某市", "city", f.jurisdiction("某省", "province"))
    draft = programme_services.programme_create(city=city, year=2030, actor=None)
    assert client.get(reverse("public-list", args=[draft.pk])).status_code == 404
    assert f'data-programme="{draft.pk}"' not in client.get(reverse("public-lists")).content.decode()


def test_public_pages_keep_their_query_count(published_world, client, django_assert_max_num_queries):
    for url in _public_pages(published_world)[:6]:
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200
    assert not Event.objects.filter(action__startswith="public").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the name indexes are PostgreSQL's")
def test_a_search_by_name_reads_the_name_index(published_world):
    """A part of a name is looked up in the name indexes (registry.name_search), not by reading every
    enterprise's name: the search costs the same with 100,000 enterprises as with a hundred."""
    from qingshen.programmes.public_selectors import search
    from qingshen.registry.models import Enterprise
    from qingshen.registry.name_search import name_match

    for q, index in (("化工", "enterprise_name_bigrams"), ("区化工", "enterprise_name_trgm")):
        # The enterprises' part of the plan alone: the whole query's join order depends on the tiny
        # tables' statistics, which vary from run to run; the search must use exactly this lookup.
        names = Enterprise.objects.filter(name_match(q)).values("pk").order_by()
        lookup = str(names.query).split(" WHERE ", 1)[1].replace('"registry_enterprise".', "")
        assert lookup in re.sub(r'\bU\d+\.|"registry_enterprise"\.', "", str(search(q).query)), q
        sql, params = names.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # as the planner would on a large table
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert index in plan, (q, plan)
    assert search("区化工").filter(pk=published_world.case_north.pk).exists()
