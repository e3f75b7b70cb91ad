import pytest

from qingshen.demo import walk
from qingshen.reviews.models import Expert, Review
from qingshen.reviews.services.applications import review_check
from qingshen.reviews.services.draw import panel_draw
from tests import factories as f


@pytest.fixture
def evaluating(world):
    """case_north under evaluation (application complete and accepted), an expert pool of 7 for its
    industry, the world's expert login linked to an expert outside that industry."""
    case = f.walk(
        world.case_north,
        "evaluating",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )
    pool = walk.expert_pool_ensure(industry=case.enterprise.industry, count=7)
    Expert.objects.create(user=world.users["expert"], name="外行专家")
    world.case = case
    world.review = walk.open_review(case, "evaluation")
    world.pool = pool
    return world


@pytest.fixture
def pdf_renderer():
    """WeasyPrint needs Pango from the system (scripts/ensure-system-packages.sh); CI must have it."""
    import os

    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have Pango for the PDF opinions (scripts/ensure-system-packages.sh): {exc}")
        pytest.skip(f"WeasyPrint cannot load Pango here; run scripts/ensure-system-packages.sh ({exc})")


@pytest.fixture
def submitted(world):
    """case_north with its audit report submitted: the enterprise may apply for evaluation."""
    return f.walk(
        world.case_north,
        "report_submitted",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )


@pytest.fixture
def applied(world, submitted):
    """An evaluation application of case_north with every material of the checklist."""
    return walk.application_submit(
        case=submitted, kind="evaluation", actor=world.users["enterprise"], day=submitted.published_on
    )


@pytest.fixture
def accepted(world, applied):
    """That application accepted (受理), with an expert pool of 6 for its industry."""
    review_check(review_id=applied.pk, actor=world.users["city"], accept=True)
    walk.expert_pool_ensure(industry=applied.case.enterprise.industry, count=6)
    return Review.objects.get(pk=applied.pk)


@pytest.fixture
def drawn(world, accepted):
    """The panel of that application drawn: its seats in the order of the draw."""
    panel = panel_draw(review_id=accepted.pk, actor=world.users["city"])
    return list(panel.seats.select_related("expert__user").order_by("position"))
