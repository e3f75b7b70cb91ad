"""What reviews announce to the floors above it (they receive; reviews never imports them)."""

from django.dispatch import Signal

# A complete application was refused all the same, with a reason (kwargs: case, duty, explanation,
# actor): oversight opens an accountability record (追责情形) in the same transaction.
complete_application_refused = Signal()
