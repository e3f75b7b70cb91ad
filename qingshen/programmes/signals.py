"""What programmes announce to the floors above it (they receive; programmes never imports them)."""

from django.dispatch import Signal

# A list was published and its cases opened (kwargs: programme, actor). Sent inside the publishing
# transaction: receivers that start background work do it on commit (reports issues the letters).
list_published = Signal()
