"""Domain signals: one feature tells another that something happened, inside the same transaction.

Receivers run synchronously in the sender's transaction and only flush; the view or live command commits once.
"""
from blinker import Namespace

_signals = Namespace()

#: Sent with the adopted `Decision` (sender) when an agenda item's decision is adopted (gavel, vote or "prend acte"
#: are told apart by the decision's own fields). The roadmap freezes a version whose agenda item it is.
decision_adopted = _signals.signal("decision-adopted")
