import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qingshen.demo.world import make_uscc
from qingshen.programmes import services as programme_services
from qingshen.programmes.imports import batches as import_batches
from qingshen.programmes.models import ImportBatch
from tests.programmes import sheets

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def draft(world):
    return programme_services.programme_create(city=world.city, year=2027, actor=world.users["city"])


@pytest.fixture
def ready_batch(world, draft, django_capture_on_commit_callbacks):
    """A checked list file (two new enterprises), ready to import, uploaded by the district."""
    rows = [[n, "北区", f"新企业{n}", make_uscc("500112", 515150 + n), "", "双超", ""] for n in (1, 2)]
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_batches.import_batch_create(
            programme=draft,
            kind="annual",
            upload=SimpleUploadedFile("名单.xlsx", sheets.xlsx(rows)),
            actor=world.users["district"],
        )
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY, batch.errors
    return batch
