from qingshen.notifications import scoping


def inbox(*, user):
    return scoping.notifications_visible(user).order_by("-created_at", "-pk")


def unread_count(*, user) -> int:
    return scoping.notifications_visible(user).filter(read_at__isnull=True).count()


def outbox(*, user, state: str = ""):
    qs = scoping.outbox_visible(user).select_related("reviewed_by")
    if state:
        qs = qs.filter(status=state)
    return qs.order_by("-created_at", "-pk")
