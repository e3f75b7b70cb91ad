"""Leases on background jobs: a running job's worker renews its lease; a lease not renewed in time
means the worker is gone, and the job is declared lost (jobs/reaper.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobLease(models.Model):
    """One per job the database worker is running (keyed by django-tasks-db's task id, which its own
    table holds as DBTaskResult.id). Removed when the job ends; a lost job's lease stays as its record,
    so a job that keeps killing its worker is not run for ever. On Redis, RQ keeps the running jobs'
    leases: only the lost ones are written here (keyed by jobs.redis_queue.lease_key of the RQ job id)."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("running")
        LOST = "lost", _("lost (the worker stopped)")

    task_id = models.UUIDField(_("task"), primary_key=True)
    task_path = models.CharField(_("job"), max_length=255)
    # The job's arguments as canonical JSON: the same job, run again, has the same key.
    args_key = models.TextField(_("arguments"))
    worker_id = models.CharField(_("worker"), max_length=64, blank=True)
    host = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"))
    heartbeat_at = models.DateTimeField(_("last heartbeat"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    lost_at = models.DateTimeField(_("declared lost"), null=True, blank=True)

    class Meta:
        verbose_name = _("job lease")
        verbose_name_plural = _("job leases")
        indexes = [models.Index(fields=["task_path", "outcome"], name="joblease_path_outcome")]

    def __str__(self):
        return f"{self.task_path} {self.task_id} ({self.outcome})"
