"""The shared definitions every report uses, written once, as SQL over `contact_stats`.

- last touch: the latest interaction or favor (done, promised or asked); a contact
  with neither counts from `met_on`, else from the day they were added.
- balance: weight of done favors given minus weight of done favors received.

Queries alias `contact` as `c` and `contact_stats` as `s`.
"""

from __future__ import annotations

# SQLite's two-argument max() is NULL if either side is; coalesce picks the known one.
LAST_TOUCH_SQL = (
    "coalesce(max(s.last_interaction, s.last_favor), s.last_interaction, s.last_favor, "
    "c.met_on, date(c.created_at))"
)

BALANCE_SQL = "(s.given_weight - s.received_weight)"

# Statuses whose date counts as a touch.
TOUCH_STATUSES = ("done", "promised", "asked")
