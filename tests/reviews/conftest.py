import pytest

from qingshen.demo import walk
from qingshen.reviews.models import Expert
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
