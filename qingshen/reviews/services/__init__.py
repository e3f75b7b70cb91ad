"""Writes for evaluation and acceptance, one module per step: applications and their check, conflicts
(回避), the draw, the seats, the sheets and the conclusion, the city's configuration. Callers import the
module they need; nothing is re-exported here.

Each write locks its rows, runs in one transaction and logs an Event. Lock order everywhere: the review
row, then the panel, then a seat; case_transition locks the case last.
"""
