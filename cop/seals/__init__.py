"""Sealed, then revealed: one mechanism for the confidential projects, commitments and sites of a COP.

`models.SealedMixin` gives a table its seal columns; `kinds` says, per kind, what is hidden and how; `digest` hashes
the hidden content (salted, canonical JSON); `operations` seals, reveals (the holder, or the presidency at the date)
and reads before the reveal (audited); `schedule` is the reveal-due job; `verify` backs `cop seal verify`; the pages
`/cop/<id>/sceaux[/<kind>/<ref>]` (views.py, its blueprint) list the seals and recompute a revealed one in the
browser.
"""
