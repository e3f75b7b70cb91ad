"""The verify page names each exclusion of the draw record in words, not by its code."""

from django.urls import reverse

from qingshen.reviews.services.conflicts import conflict_pin
from qingshen.reviews.services.draw import panel_draw


def test_the_verify_page_names_exclusions_in_words(evaluating, client_for):
    w = evaluating
    pinned = w.pool[0]
    conflict_pin(actor=w.users["city"], expert_id=pinned.pk, enterprise=w.ent_north, reason="举报线索")
    panel_draw(review_id=w.review.pk, actor=w.users["city"])
    html = client_for(w.users["city"]).post(reverse("panel-verify", args=[w.review.pk])).content.decode()
    assert f"{pinned.name}: 市级生态环境部门指定回避（举报线索）" in html
    assert "pinned" not in html
