"""Every list page costs the same number of queries with 2 rows as with 10: no query per row.

Each test loads its page once to warm per-process caches, measures it with about two rows, adds about
eight more through the real services, and asserts the very same count (not merely "no more than").
The marker check makes sure the added rows are really on the page that was measured."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qingshen.accounts.parameters import cache_clear as parameters_cache_clear
from qingshen.cases.documents import document_store
from qingshen.cases.services import delegation_create
from qingshen.demo.world import make_uscc
from qingshen.notifications.services import notification_send
from qingshen.oversight.models import AccountabilityRecord, Warning
from qingshen.oversight.services import accountability_detect, warnings_record
from qingshen.procedures.models import Rule
from qingshen.programmes import listings as programme_listings
from qingshen.programmes import lists as programme_lists
from qingshen.programmes import services as programme_services
from qingshen.programmes.models import ImportBatch
from qingshen.reviews.services.conflicts import agency_staff_add
from tests import factories as f
from tests.oversight.test_warnings import at
from tests.programmes import sheets


def _flat(name, client, url, grow, django_assert_num_queries, django_assert_max_num_queries):
    """Measure `url`, call `grow()` (which returns a text the grown page must show), measure again."""
    assert client.get(url).status_code == 200  # warm caches: they are not the page's cost
    parameters_cache_clear()  # the security parameters are cached for seconds: reload them in both
    with django_assert_max_num_queries(60) as small:
        response = client.get(url)
    assert response.status_code == 200
    n = len(small.captured_queries)
    assert n >= 3  # the check below must be able to fail
    marker = grow()
    client.get(url)
    parameters_cache_clear()
    with django_assert_num_queries(n) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert marker in response.content.decode(), marker
    print(f"\nquery count {name}: {n} -> {len(large.captured_queries)}")
    return n


def _programme(world, year, enterprises, *, publish=True):
    city, province = world.users["city"], world.users["province"]
    programme = programme_services.programme_create(city=world.city, year=year, actor=city)
    for ent in enterprises:
        programme_listings.listing_add(programme=programme, enterprise=ent, grounds=["emissions"], actor=city)
    if publish:
        f.confirm_list(programme, city_user=city, province_user=province)
        programme_lists.list_transition(
            name="publish",
            programme=programme,
            actor=city,
            published_on=timezone.localdate() - datetime.timedelta(days=10),
        )
    return programme


def _new_cases(world, n, *, year=2027):
    """`n` published cases of new enterprises (alternating districts), each with its enterprise user."""
    enterprises = [f.enterprise(world.north if i % 2 else world.south, f"新增企业{i}") for i in range(n)]
    programme = _programme(world, year, enterprises)
    return [(case, f.enterprise_user(case.enterprise)) for case in programme.cases.order_by("pk")]


def _walk(world, case, user, state):
    return f.walk(case, state, city_user=world.users["city"], enterprise_user=user)


@pytest.fixture
def flat(django_assert_num_queries, django_assert_max_num_queries):
    def measure(name, client, url, grow):
        return _flat(name, client, url, grow, django_assert_num_queries, django_assert_max_num_queries)

    return measure


def test_enterprise_list(world, client_for, flat):
    def grow():
        for i in range(8):
            f.enterprise(world.north, f"新增企业{i}")
        return "新增企业7"

    flat("enterprise-list", client_for(world.users["city"]), reverse("enterprise-list"), grow)


def test_programme_list(world, client_for, flat):
    _programme(world, 2027, [f.enterprise(world.north)], publish=False)

    def grow():
        for year in range(2028, 2036):
            _programme(world, year, [f.enterprise(world.north)], publish=year % 2 == 0)
        return "2035"

    flat("programme-list", client_for(world.users["city"]), reverse("programme-list"), grow)


def test_rule_list(world, client_for, flat):
    def grow():
        for i in range(8):
            Rule.objects.create(
                code=f"zz-test-{i}", name=f"测试时限{i}", amount=5, unit="days", source="测试"
            )
        return "测试时限7"

    flat("rule-list", client_for(world.users["city"]), reverse("rule-list"), grow)


def _document(case, user, n):
    upload = ContentFile(b"%PDF-1.4 test", name=f"材料{n}.pdf")
    return document_store(case=case, kind="photo" if n % 2 else "other", upload=upload, actor=user)


def test_case_documents(world, client_for, flat):
    user = world.users["enterprise"]
    _document(world.case_north, user, 100)

    def grow():
        for n in range(8):
            _document(world.case_north, user, n)
        return "材料7"

    flat("case-documents", client_for(user), reverse("case-documents", args=[world.case_north.pk]), grow)


def test_case_page_with_its_documents(world, client_for, flat):
    """The case page groups documents by kind (current first, older folded) from one query."""
    user = world.users["enterprise"]
    _document(world.case_north, user, 100)

    def grow():
        for n in range(6):
            _document(world.case_north, user, n)
        for kind in ("audit_report", "monitoring_report"):
            document_store(
                case=world.case_north,
                kind=kind,
                upload=ContentFile(b"%PDF-1.4 test", name=f"{kind}.pdf"),
                actor=user,
            )
        return "monitoring_report.pdf"

    flat(
        "case-detail",
        client_for(world.users["city"]),
        reverse("case-detail", args=[world.case_north.pk]),
        grow,
    )


def test_case_delegations(world, client_for, flat):
    user, today = world.users["enterprise"], timezone.localdate()
    delegation_create(case=world.case_north, agency=world.agency, actor=user, starts_on=today)

    def grow():
        for n in range(8):
            delegation_create(
                case=world.case_north, agency=f.agency(f"新增咨询{n}"), actor=user, starts_on=today
            )
        return "新增咨询7"

    flat("case-delegations", client_for(user), reverse("case-delegations", args=[world.case_north.pk]), grow)


def test_portal_colleagues(world, client_for, flat):
    f.enterprise_user(world.ent_north)

    def grow():
        return [f.enterprise_user(world.ent_north) for _ in range(8)][-1].username

    flat("portal-colleagues", client_for(world.users["enterprise"]), reverse("portal-colleagues"), grow)


def test_import_batch_page(
    world,
    client_for,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    """The page of a 2-row batch, then the page of a 10-row batch: the same count."""
    programme = _programme(world, 2027, [f.enterprise(world.north)], publish=False)
    client = client_for(world.users["district"])

    def page(name, n):
        rows = [
            [i + 1, "北区", f"导入企业{i}", make_uscc("500112", 424000 + i), "", "双超", ""] for i in range(n)
        ]
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("import-upload", args=[programme.pk]),
                {"kind": "annual", "file": SimpleUploadedFile(name, sheets.xlsx(rows))},
            )
        batch = ImportBatch.objects.get(original_name=name)
        assert batch.status == "ready", batch.errors
        return reverse("import-batch", args=[batch.pk])

    small, large = page("small.xlsx", 2), page("large.xlsx", 10)
    client.get(small)
    parameters_cache_clear()  # cached for seconds: reload them in both measurements
    with django_assert_max_num_queries(60) as q:
        assert "导入企业1" in client.get(small).content.decode()
    n = len(q.captured_queries)
    assert n >= 3
    client.get(large)
    parameters_cache_clear()
    with django_assert_num_queries(n):
        assert "导入企业9" in client.get(large).content.decode()
    print(f"\nquery count import-batch: {n} -> {n}")


def test_agency_detail(world, client_for, flat):
    city, user, today = world.users["city"], world.users["enterprise"], timezone.localdate()
    delegation_create(case=world.case_north, agency=world.agency, actor=user, starts_on=today)
    agency_staff_add(actor=city, agency_id=world.agency.pk, name="员工甲")

    def grow():
        for n in range(8):
            agency_staff_add(actor=city, agency_id=world.agency.pk, name=f"新增员工{n}")
        for case, ent_user in _new_cases(world, 8):
            delegation_create(case=case, agency=world.agency, actor=ent_user, starts_on=today)
        return "新增员工7"

    page = reverse("agency-detail", args=[world.agency.pk])
    flat("agency-detail", client_for(city), page, grow)
    assert "新增企业7" in client_for(city).get(page).content.decode()


def _applied(world, cases):
    for case, user in cases:
        _walk(world, case, user, "evaluation_applied")


def test_review_queue(world, client_for, flat):
    _applied(
        world,
        [(world.case_north, world.users["enterprise"]), (world.case_south, world.users["enterprise_south"])],
    )

    def grow():
        _applied(world, _new_cases(world, 8))
        return "新增企业7"

    flat("review-list", client_for(world.users["city"]), reverse("review-list"), grow)


def test_expert_list(world, client_for, flat):
    f.expert("专家甲")
    f.expert("专家乙", industry_code="33")

    def grow():
        for n in range(8):
            f.expert(f"新增专家{n}", industry_code="26" if n % 2 else "33")
        return "新增专家7"

    flat("expert-list", client_for(world.users["city"]), reverse("expert-list"), grow)


def _warn(cases):
    for due in sorted({case.deadlines.get(kind="disclosure").due_on for case in cases}):
        with at(due - datetime.timedelta(days=7)):
            warnings_record()


def test_warning_list(world, client_for, flat):
    _warn([world.case_north, world.case_south])

    def grow():
        _warn([case for case, _ in _new_cases(world, 8)])
        return "新增企业7"

    flat("warning-list", client_for(world.users["city"]), reverse("warning-list"), grow)


def test_warning_list_deep_page(world, client_for, flat):
    """A page reached by its link (before the oldest warning: the newer ones) costs the same."""
    _warn([world.case_north, world.case_south])
    oldest = Warning.objects.order_by("recorded_at", "pk").first()
    # Older than any warning the growth records, whatever their due dates: they all come before it.
    Warning.objects.filter(pk=oldest.pk).update(
        recorded_at=oldest.recorded_at - datetime.timedelta(days=3650)
    )

    def grow():
        _warn([case for case, _ in _new_cases(world, 8)])
        return "新增企业7"

    url = f"{reverse('warning-list')}?before={oldest.pk}"
    client = client_for(world.users["city"])
    flat("warning-list, deep", client, url, grow)
    assert "after=" in client.get(url).content.decode()  # the rows newer than the oldest, then Next


def _detect(cases):
    for due in sorted({case.deadlines.get(kind="evaluation_check").due_on for case in cases}):
        with at(due + datetime.timedelta(days=1)):
            accountability_detect()


def test_accountability_list(world, client_for, flat):
    first = [
        (world.case_north, world.users["enterprise"]),
        (world.case_south, world.users["enterprise_south"]),
    ]
    _applied(world, first)
    _detect([case for case, _ in first])

    def grow():
        more = _new_cases(world, 8)
        _applied(world, more)
        _detect([case for case, _ in more])
        return "新增企业7"

    flat("accountability-list", client_for(world.users["supervisor"]), reverse("accountability-list"), grow)


def test_accountability_list_deep_page(world, client_for, flat):
    first = [
        (world.case_north, world.users["enterprise"]),
        (world.case_south, world.users["enterprise_south"]),
    ]
    _applied(world, first)
    _detect([case for case, _ in first])
    oldest = AccountabilityRecord.objects.order_by("opened_at", "pk").first()

    def grow():
        more = _new_cases(world, 8)
        _applied(world, more)
        _detect([case for case, _ in more])
        return "新增企业7"

    url = f"{reverse('accountability-list')}?state=open&before={oldest.pk}"
    client = client_for(world.users["supervisor"])
    flat("accountability-list, deep", client, url, grow)
    assert "after=" in client.get(url).content.decode()  # the rows newer than the oldest, then Next


def test_notifications_inbox(world, client_for, flat):
    user = world.users["enterprise"]

    def send(subject):
        notification_send(
            users=[user], subject=subject, body="正文", obj=world.case_north, actor=world.users["city"]
        )

    send("通知甲")

    def grow():
        for n in range(8):
            send(f"新增通知{n}")
        return "新增通知7"

    flat("inbox", client_for(user), reverse("inbox"), grow)


def test_enterprise_home(world, client_for, flat):
    """The portal home: one section per case, with its checklist, disclosure flag and history."""
    user = world.users["enterprise"]
    _programme(world, 2027, [world.ent_north])
    _document(world.case_north, user, 1)

    def grow():
        for year in range(2028, 2036):
            programme = _programme(world, year, [world.ent_north])
            case = programme.cases.get()
            f.disclosure_ready(case, user)
            _document(case, user, year)
        _walk(world, world.case_north, user, "report_submitted")
        return f"case-{programme.cases.get().pk}"

    flat("portal-home", client_for(user), reverse("portal-home"), grow)


def test_expert_list_pages_instead_of_capping(world, client_for, settings):
    """The expert pool once stopped silently at 500 rows; now every expert is on some page."""
    settings.QINGSHEN_PAGE_SIZE = 3
    for n in range(5):
        f.expert(f"分页专家{n}")
    client = client_for(world.users["city"])
    first = client.get(reverse("expert-list")).content.decode()
    second = client.get(reverse("expert-list"), {"page": 2}).content.decode()
    assert [f"分页专家{n}" in first for n in range(5)] == [True, True, True, False, False]
    assert [f"分页专家{n}" in second for n in range(5)] == [False, False, False, True, True]
    assert "page=2" in first
