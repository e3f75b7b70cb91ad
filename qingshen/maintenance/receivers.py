"""Maintenance's answers to edits on lower floors: a time-limit rule or a calendar day saved or removed
recomputes the open cases' deadlines in the background once the edit commits (the periodic sweep
remains the safety net for edits that send no signal, such as queryset updates)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from qingshen.maintenance.tasks import deadlines_recompute_task
from qingshen.procedures.models import CalendarDay, Rule


def _recompute_after_commit() -> None:
    transaction.on_commit(deadlines_recompute_task.enqueue)


@receiver(post_save, sender=Rule, dispatch_uid="deadlines-on-rule-save")
@receiver(post_delete, sender=Rule, dispatch_uid="deadlines-on-rule-delete")
@receiver(post_save, sender=CalendarDay, dispatch_uid="deadlines-on-calendar-save")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="deadlines-on-calendar-delete")
def deadline_inputs_edited(sender, raw=False, **kwargs) -> None:
    if not raw:  # loaddata: the restore or fixture brings its own deadlines
        _recompute_after_commit()
