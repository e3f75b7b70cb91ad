"""The right Chinese word where one English word means two things (pgettext contexts), and levels
by their one label."""

from django.urls import reverse
from django.utils import translation

from qingshen.cases.states import Level, level_label
from qingshen.notifications.models import Delivery
from qingshen.oversight.models import Warning
from qingshen.reviews.models import Expert
from tests import factories as f


def _header(html: str, table_id: str) -> str:
    start = html.index(f'id="{table_id}"')
    return html[start : html.index("</thead>", start)]


def test_the_summary_totals_row_is_a_sum_not_a_score(world, client_for):
    html = (
        client_for(world.users["city"])
        .get(reverse("summary-page", args=[world.programme.pk]))
        .content.decode()
    )
    total = html[html.index('data-row="total"') :]
    assert total.startswith('data-row="total"><th>合计</th>')
    assert "总分" not in html


def test_the_expert_list_heads_the_professional_title_and_the_persons_name(world, client_for):
    f.expert("张工", title="高级工程师")
    html = client_for(world.users["city"]).get(reverse("expert-list")).content.decode()
    header = _header(html, "expert-list")
    assert "<th>职称</th>" in header and "<th>姓名</th>" in header
    assert "标题" not in header and "名称" not in header
    with translation.override("zh-hans"):
        assert str(Expert._meta.get_field("title").verbose_name) == "职称"


def test_the_amendments_head_who_made_the_change(world, client_for):
    html = client_for(world.users["city"]).get(reverse("programme-amendments", args=[world.programme.pk]))
    assert "<th>经办人</th>" in html.content.decode()


def test_a_failed_delivery_and_a_warning_level_say_what_they_are():
    with translation.override("zh-hans"):
        assert str(Delivery.Status.FAILED.label) == "发送失败"
        assert str(Warning._meta.get_field("level").verbose_name) == "预警级别"


def test_a_level_has_one_label_everywhere(world, client_for):
    with translation.override("zh-hans"):
        assert level_label(Level.II) == "Ⅱ级（国内清洁生产先进水平）" and level_label("") == ""
    html = (
        client_for(world.users["city"])
        .get(reverse("summary-page", args=[world.programme.pk]))
        .content.decode()
    )
    header = html[html.index('id="summary-table"') :]
    assert '<th data-key="level_I">Ⅰ级（国际清洁生产领先水平）</th>' in header
