from .models import Procedure, Rule


def procedure_current() -> Procedure | None:
    return Procedure.objects.prefetch_related("steps__rule").order_by("pk").first()


def rules_all():
    return Rule.objects.order_by("code")
