"""Background work: the set-based deadline recompute after a rule or calendar edit."""

from django_tasks import task


@task()
def deadlines_recompute_task() -> int:
    """Recompute the open cases' deadlines (skipped when nothing they depend on changed since the last
    run, e.g. the periodic sweep came first). Returns how many cases changed."""
    from qingshen.maintenance.deadline_sweep import deadlines_sweep

    return deadlines_sweep().changed
