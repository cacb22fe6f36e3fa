"""Counting a vote: one party one vote, or a double majority of parties and of population.

A proposal passes when more parties vote yes than no (abstentions are not counted). Under a double majority the
parties voting yes must also speak for more of the population than those voting no, with the real populations of
their territories. The population share counts each inhabitant once: the intercommunalities (EPCI) partition the
region, so only they weigh in it; the Region, the départements, the State's services and the sector bodies vote in
the count of parties and weigh nothing in population (the rules of procedure say so, see POPULATION_RULE). When
none of the parties that expressed a view has a population, the population majority cannot be reached.
"""
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from cop.conferences.models import Party
from cop.db import db
from cop.negotiation.votes.models import Ballot, Vote


#: The party kinds whose population counts in a double majority: those that partition the region.
POPULATION_KINDS = ("epci",)


def population_weight(party) -> int:
    """A party's weight in the population share: its EPCI's population, else zero (counted once, by its EPCI)."""
    return party.population if party.kind in POPULATION_KINDS else 0
#: Below this many voters, a secret ballot's published counts and rounded population share may give choices away:
#: the rules page and the chair's console warn before such a vote is opened.
SMALL_ELECTORATE = 12


def share(part: int, whole: int) -> Optional[float]:
    """part/whole in percent with one decimal, or None when whole is zero."""
    if not whole:
        return None
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def rough_share(part: int, whole: int) -> Optional[int]:
    """part/whole in percent rounded to the nearest ten: what a secret ballot publishes of population sums."""
    if not whole:
        return None
    return int((Decimal(part) * 10 / Decimal(whole)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)) * 10


def void_result(vote: Vote) -> dict:
    """The result of a secret vote whose ballots were lost (its key died in a database crash): nothing counted."""
    participants = len(vote.participations)
    return {"counts": {"yes": 0, "no": 0, "abstain": 0}, "participants": participants,
            "electorate": len(vote.electorate), "party_share": None, "weighting": vote.weighting,
            "party_majority": False, "void": True, "outcome": "void"}


def result_of(vote: Vote) -> dict:
    """The published result: counts, shares and outcome (a secret ballot shows no population sums)."""
    counts = {c: getattr(vote, f"{c}_count") for c in ("yes", "no", "abstain")}
    expressed = counts["yes"] + counts["no"]
    parties_majority = counts["yes"] > counts["no"]
    result = {"counts": counts, "participants": sum(counts.values()), "electorate": len(vote.electorate),
              "party_share": share(counts["yes"], expressed), "weighting": vote.weighting}
    passed = parties_majority
    if vote.weighting == "double_majority":
        yes_pop, no_pop = vote.yes_population, vote.no_population
        population_majority = yes_pop > no_pop
        # A secret ballot publishes the least the rules need: whether the majority is reached, the share rounded.
        result["population_share"] = (rough_share if vote.is_secret else share)(yes_pop, yes_pop + no_pop)
        result["population_majority"] = population_majority
        if not vote.is_secret:
            result["populations"] = {"yes": yes_pop, "no": no_pop, "abstain": vote.abstain_population}
        passed = parties_majority and population_majority
    result["party_majority"] = parties_majority
    result["outcome"] = "adopted" if passed else "rejected"
    return result


def public_ballots(vote: Vote) -> list[dict]:
    """Who voted what, for a public ballot only; [] for a secret one."""
    if vote.is_secret:
        return []
    # One query for the ballots and their parties' names (a plenary's 166 ballots used to load 166 parties one by one
    # on every meeting page and snapshot).
    rows = db.session.execute(
        db.select(Ballot.party_id, Party.name, Ballot.choice).outerjoin(Party, Party.id == Ballot.party_id)
        .filter(Ballot.vote_id == vote.id)).all()
    return sorted(({"party_id": party_id, "party": name or "?", "choice": choice} for party_id, name, choice in rows),
                  key=lambda row: row["party"])
