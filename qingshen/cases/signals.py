"""What cases announce to the floors above it (they receive; cases never imports them)."""

from django.dispatch import Signal

# A member's own case was closed as counted by its group's pass (kwargs: case, group, actor, day). Sent
# inside the group's transition, with the case row locked: reviews cancels the case's open application.
case_counted_by_group = Signal()

# A totals cell's case counts were rewritten (kwargs: programme_id, jurisdiction_id, case_kind). Sent in
# the same transaction, under the cell's lock: the floors above rewrite what they count per cell.
case_cell_counted = Signal()
