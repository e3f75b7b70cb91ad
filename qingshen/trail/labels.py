"""Human labels for logged action strings. Each package registers the labels of the actions it logs when
its app is ready (its `labels.py`); tests/trail/test_labels.py reads every event_record call and fails on an
action without a label. An action still unknown (an old row) shows as its dotted string."""

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

_labels: dict[str, object] = {
    "log.verify": _("Log chain verified"),
    "log.export": _("Log exported"),
    "log.prune": _("Old log rows archived and removed"),
    "log.checkpoint": _("Log checkpoint sealed"),
}
_resolvers: list[tuple[str, Callable[[str], str | None]]] = []


def labels_register(labels: dict, *, prefix: str = "", resolver: Callable[[str], str | None] | None = None):
    """Add a package's labels; `resolver` names the actions under `prefix` that a table describes."""
    _labels.update(labels)
    if resolver is not None:
        _resolvers.append((prefix, resolver))


def labels_all() -> dict[str, object]:
    return dict(_labels)


def action_label(action: str) -> str:
    for prefix, resolver in _resolvers:
        if action.startswith(prefix):
            label = resolver(action)
            if label is not None:
                return label
    label = _labels.get(action)
    return str(label) if label is not None else action
