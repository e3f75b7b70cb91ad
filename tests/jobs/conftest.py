import signal
import uuid

import pytest
import redis
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks.signals import task_enqueued

from qingshen.core import multinode
from qingshen.demo.world import make_uscc
from qingshen.programmes import services as programme_services
from qingshen.programmes import tasks as programme_tasks
from qingshen.programmes.imports import batches as import_batches
from qingshen.programmes.models import ImportBatch
from tests.multinode.servers import REDIS_URL, redis_up
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


TASK_NAMES = ("import_validate_task", "import_commit_task")


class RedisQueue:
    def __init__(self, name: str):
        self.name = name
        self.enqueued: list[str] = []
        self.connection = redis.Redis.from_url(REDIS_URL)

    def queue(self):
        import django_rq
        from django_tasks_rq import Job

        return django_rq.get_queue(self.name, job_class=Job)

    def worker(self, suffix: str = "w", worker_class=None):
        from django_tasks_rq import Job
        from rq import SimpleWorker

        queue = self.queue()
        worker_class = worker_class or SimpleWorker
        return worker_class([queue], connection=queue.connection, job_class=Job, name=f"{self.name}-{suffix}")

    def work(self, worker_class=None) -> None:
        """Run every job queued so far, as `manage.py rqworker --burst` would."""
        handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.worker(worker_class=worker_class).work(burst=True)
        finally:
            for s, handler in handlers.items():
                signal.signal(s, handler)

    def remove_keys(self) -> None:
        keys = set(self.connection.scan_iter(f"*{self.name}*"))
        for task_id in self.enqueued:
            keys.update(self.connection.scan_iter(f"rq:*{task_id}*"))
        if keys:
            self.connection.delete(*keys)
        self.connection.srem("rq:queues", f"rq:queue:{self.name}")
        for key in self.connection.smembers("rq:workers"):
            if self.name in key.decode():
                self.connection.srem("rq:workers", key)


@pytest.fixture
def redis_queue(settings, monkeypatch):
    """The Redis queue switched on for this test, on a queue named for it alone (the import tasks are
    sent there: the task's queue name is the RQ queue's)."""
    if not redis_up():
        pytest.skip(f"no Redis at {REDIS_URL}")
    rq = RedisQueue(f"qingshen-test-{uuid.uuid4().hex[:12]}")
    # The settings QINGSHEN_TASKS_QUEUE=redis gives, on the test's own queue; django-tasks-rq reads
    # results through the "default" entry's connection (no job goes there).
    monkeypatch.setenv("QINGSHEN_TASKS_QUEUE", "redis")
    config = multinode.tasks_queue(REDIS_URL)
    settings.TASKS = {"default": {**config["TASKS"]["default"], "QUEUES": [rq.name]}}
    settings.RQ_QUEUES = {name: config["RQ_QUEUES"]["default"] for name in (rq.name, "default")}
    settings.RQ = config["RQ"]
    for name in TASK_NAMES:
        on_queue = getattr(programme_tasks, name).using(queue_name=rq.name)
        monkeypatch.setattr(programme_tasks, name, on_queue)
        monkeypatch.setattr(import_batches, name, on_queue)

    def enqueued(sender, task_result, **kwargs):
        rq.enqueued.append(str(task_result.id))

    task_enqueued.connect(enqueued, dispatch_uid=rq.name, weak=False)
    yield rq
    task_enqueued.disconnect(dispatch_uid=rq.name)
    rq.remove_keys()
