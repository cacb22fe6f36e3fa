"""Votes: rules, quorum, one ballot per party, changes until the close, results, and double majority on real
populations (figures checked by hand)."""
import csv

import pytest

from cop.conferences.models import Membership
from cop.db import db
from cop.errors import Conflict, Forbidden, Invalid
from cop.negotiation.decisions.models import Decision
from cop.negotiation.votes.models import Vote
from cop.negotiation.votes.tally import result_of
from cop.territories.seed import DATA_DIR
from tests.negotiation.conftest import build, do, refused, roll_call

#: SIREN → the EPCI population in seeds/data/epci.csv (INSEE, via Etalab's découpage administratif).
EPCI = {"Métropole de Lyon": "200046977", "Grenoble-Alpes-Métropole": "200040715",
        "Saint-Étienne Métropole": "244200770", "Clermont Auvergne Métropole": "246300701",
        "CA du Grand Annecy": "200066793"}


def real_populations() -> dict[str, int]:
    """The populations of five AURA metropolitan areas, read from the committed seed."""
    with open(DATA_DIR / "epci.csv", encoding="utf-8") as handle:
        rows = {row["siren"]: row for row in csv.DictReader(handle)}
    return {name: int(rows[siren]["population"]) for name, siren in EPCI.items()}


def clean(neg):
    """Resolve the draft's bracket so that the item may be decided."""
    do(neg.u.chair, neg.meeting, "text.resolve", paragraph_id=neg.p[0], version=1, group=0, option=0)


def open_vote(neg, present=None):
    """Open a vote on the item with every party present."""
    roll_call(neg, present)
    return do(neg.u.chair, neg.meeting, "vote.open", item_id=neg.item.id)["vote"]


def test_no_vote_where_the_rules_want_consensus(neg):
    clean(neg)
    error = refused(neg.u.chair, neg.meeting, "vote.open", item_id=neg.item.id)
    assert isinstance(error, Conflict) and "consensus" in error.message


def test_the_quorum_is_checked_when_the_vote_opens(make):
    neg = build(make, decision_mode="vote", quorum_percent=60)
    clean(neg)
    roll_call(neg, [neg.lyon.id])
    error = refused(neg.u.chair, neg.meeting, "vote.open", item_id=neg.item.id)
    assert isinstance(error, Conflict)
    assert "1 délégation(s) présente(s) sur 3 accréditée(s), 2 requise(s)" in error.message
    assert open_vote(neg, [neg.lyon.id, neg.annecy.id])["required"] == 2


def test_voting_refusals(make):
    neg = build(make, decision_mode="vote")
    clean(neg)
    vote = open_vote(neg)
    for who in ("lyon_delegate", "observer", "chair"):
        error = refused(getattr(neg.u, who), neg.meeting, "vote.cast", vote_id=vote["id"], choice="yes")
        assert isinstance(error, Forbidden)
    assert isinstance(refused(neg.u.lyon, neg.meeting, "vote.cast", vote_id=vote["id"], choice="oui"), Invalid)
    other = refused(neg.u.lyon, neg.meeting, "vote.cast", vote_id=vote["id"], choice="yes", party_id=neg.annecy.id)
    assert isinstance(other, Forbidden) and "autre partie" in other.message
    do(neg.u.lyon, neg.meeting, "vote.cast", vote_id=vote["id"], choice="yes")
    twice = refused(neg.u.lyon, neg.meeting, "vote.cast", vote_id=vote["id"], choice="no")
    assert isinstance(twice, Conflict) and "déjà voté" in twice.message
    assert isinstance(refused(neg.u.lyon, neg.meeting, "vote.close", vote_id=vote["id"]), Forbidden)
    do(neg.u.chair, neg.meeting, "vote.close", vote_id=vote["id"])
    late = refused(neg.u.annecy, neg.meeting, "vote.cast", vote_id=vote["id"], choice="no")
    assert isinstance(late, Conflict) and "clos" in late.message
    assert isinstance(refused(neg.u.lyon, neg.meeting, "vote.change", vote_id=vote["id"], choice="no"), Conflict)


def test_a_party_allowed_by_its_head_votes_once_and_may_change_until_the_close(make):
    neg = build(make, decision_mode="vote")
    clean(neg)
    vote = open_vote(neg)
    cast = do(neg.u.grenoble_voter, neg.meeting, "vote.cast", vote_id=vote["id"], choice="no")
    assert cast == {"vote_id": vote["id"], "party_id": neg.grenoble.id, "party": "Grenoble-Alpes-Métropole",
                    "participants": 1}
    do(neg.u.grenoble, neg.meeting, "vote.change", vote_id=vote["id"], choice="yes")
    do(neg.u.lyon, neg.meeting, "vote.cast", vote_id=vote["id"], choice="abstain")
    closed = do(neg.u.chair, neg.meeting, "vote.close", vote_id=vote["id"])
    assert closed["vote"]["result"]["counts"] == {"yes": 1, "no": 0, "abstain": 1}
    assert closed["vote"]["ballots"] == {str(neg.grenoble.id): "yes", str(neg.lyon.id): "abstain"}
    assert closed["vote"]["participants"] == [neg.grenoble.id, neg.lyon.id]
    assert closed["decision"]["reference"] == "Décision 1/COP-AURA-2027" and closed["decision"]["mode"] == "vote"


def test_a_tie_is_rejected_and_makes_no_decision(make):
    neg = build(make, decision_mode="vote")
    clean(neg)
    vote = open_vote(neg)
    do(neg.u.lyon, neg.meeting, "vote.cast", vote_id=vote["id"], choice="yes")
    do(neg.u.annecy, neg.meeting, "vote.cast", vote_id=vote["id"], choice="no")
    closed = do(neg.u.chair, neg.meeting, "vote.close", vote_id=vote["id"])
    assert closed["vote"]["outcome"] == "rejected" and closed["decision"] is None
    assert db.session.scalar(db.select(db.func.count(Decision.id))) == 0


def _five_metropolises(make, weighting, others=()):
    """A vote among five AURA metropolitan areas with their real populations (and the `others`, voting yes, if
    given: (name, kind, population)); return (neg, users by name)."""
    neg = build(make, decision_mode="vote", vote_weighting=weighting, quorum_percent=50)
    populations = real_populations()
    heads = {"Métropole de Lyon": neg.u.lyon, "Grenoble-Alpes-Métropole": neg.u.grenoble,
             "CA du Grand Annecy": neg.u.annecy}
    for party in (neg.lyon, neg.grenoble, neg.annecy):
        party.territory.population = populations[party.name]
    for name in ("Saint-Étienne Métropole", "Clermont Auvergne Métropole"):
        party = make.party(neg.conf, make.territory(name=name, population=populations[name], region=neg.conf.region))
        heads[name] = make.member(neg.conf, "head_of_delegation", party)
    for name, kind, population in others:
        territory = make.territory(kind=kind, name=name, population=population, code=f"9{len(heads):02d}",
                                   legal_form=None) if kind != "organisation" else None
        party = make.party(neg.conf, territory, name=name, kind=kind)
        heads[name] = make.member(neg.conf, "head_of_delegation", party)
    db.session.commit()
    clean(neg)
    parties = [m.party_id for m in db.session.scalars(db.select(Membership).filter_by(role="head_of_delegation"))]
    roll_call(neg, parties)
    vote = do(neg.u.chair, neg.meeting, "vote.open", item_id=neg.item.id)["vote"]
    choices = {"Métropole de Lyon": "no", "Grenoble-Alpes-Métropole": "yes", "Saint-Étienne Métropole": "yes",
               "Clermont Auvergne Métropole": "yes", "CA du Grand Annecy": "abstain",
               **{name: "yes" for name, _, _ in others}}
    for name, choice in choices.items():
        do(heads[name], neg.meeting, "vote.cast", vote_id=vote["id"], choice=choice)
    return neg, do(neg.u.chair, neg.meeting, "vote.close", vote_id=vote["id"])


def test_double_majority_on_real_populations(make):
    # Seed populations: Lyon 1 436 354 (no); Grenoble 450 608 + Saint-Étienne 408 391 + Clermont 295 488 (yes)
    # = 1 154 487; Annecy 213 415 abstains. Parties: 3 yes / 4 expressed = 75.0 %. Population:
    # 1 154 487 / (1 154 487 + 1 436 354 = 2 590 841) = 44.56 % → 44.6 %: no population majority, rejected.
    assert real_populations() == {"Métropole de Lyon": 1_436_354, "Grenoble-Alpes-Métropole": 450_608,
                                  "Saint-Étienne Métropole": 408_391, "Clermont Auvergne Métropole": 295_488,
                                  "CA du Grand Annecy": 213_415}
    neg, closed = _five_metropolises(make, "double_majority")
    result = closed["vote"]["result"]
    assert result["counts"] == {"yes": 3, "no": 1, "abstain": 1}
    assert result["party_share"] == 75.0 and result["party_majority"] is True
    assert result["populations"] == {"yes": 1_154_487, "no": 1_436_354, "abstain": 213_415}
    assert result["population_share"] == 44.6 and result["population_majority"] is False
    assert closed["vote"]["outcome"] == "rejected" and closed["decision"] is None


def real_region_population(code: str = "84") -> int:
    """The region's population in seeds/data/regions.csv."""
    with open(DATA_DIR / "regions.csv", encoding="utf-8") as handle:
        return next(int(row["population"]) for row in csv.DictReader(handle) if row["code"] == code)


def test_the_epci_partition_the_region_so_each_inhabitant_counts_once():
    with open(DATA_DIR / "epci.csv", encoding="utf-8") as handle:
        epci = sum(int(row["population"]) for row in csv.DictReader(handle) if row["region_code"] == "84")
    region = real_region_population()
    assert (epci, region) == (8_191_508, 8_205_557)  # the EPCI cover 99.8 % of the region's inhabitants
    assert abs(region - epci) / region < 0.005


def test_the_region_and_the_state_vote_in_the_count_of_parties_but_not_in_the_population_share(make):
    # Same ballots as above, plus the Region (8 205 557 inhabitants in the seeds), a département and the State's
    # services voting yes. Parties: 6 yes / 7 expressed. Population: the Region and the département are made of the
    # same inhabitants as the EPCI: they add nothing, 1 154 487 yes against 1 436 354 no, still rejected.
    others = (("Région Auvergne-Rhône-Alpes", "region", real_region_population()),
              ("Département de l’Isère", "departement", 1_271_166), ("Préfecture de région", "state", 0))
    neg, closed = _five_metropolises(make, "double_majority", others)
    result = closed["vote"]["result"]
    assert result["counts"] == {"yes": 6, "no": 1, "abstain": 1} and result["party_majority"] is True
    assert result["populations"] == {"yes": 1_154_487, "no": 1_436_354, "abstain": 213_415}
    assert result["population_share"] == 44.6 and closed["vote"]["outcome"] == "rejected"
    page = neg_rules_page(make, neg)
    assert "la Région, les départements, les services de l’État et les comités de filière votent" in page


def neg_rules_page(make, neg) -> str:
    """The COP's rules as its public page prints them."""
    from flask import current_app

    return current_app.test_client().get(f"/cop/{neg.conf.id}/reglement").get_data(as_text=True)


def test_the_same_ballots_pass_one_party_one_vote(make):
    neg, closed = _five_metropolises(make, "one_party_one_vote")
    assert closed["vote"]["outcome"] == "adopted" and "population_share" not in closed["vote"]["result"]


def test_an_organisation_weighs_nothing_in_population():
    vote = Vote(weighting="double_majority", is_secret=False, electorate={"1": 0, "2": 0}, yes_count=2, no_count=0,
                abstain_count=0, yes_population=0, no_population=0, abstain_population=0)
    result = result_of(vote)
    assert result["population_share"] is None and result["outcome"] == "rejected"


@pytest.mark.parametrize("receipt", ["court", "x" * 200, "avec espace et accents é" * 2, None])
def test_a_secret_ballot_needs_a_well_formed_receipt(make, receipt):
    neg = build(make, decision_mode="vote", secret_ballot=True)
    clean(neg)
    vote = open_vote(neg)
    error = refused(neg.u.lyon, neg.meeting, "vote.cast", vote_id=vote["id"], choice="yes", receipt=receipt)
    assert isinstance(error, Invalid)


def test_the_minutes_give_a_public_vote_by_party(client, make):
    neg = build(make, decision_mode="vote")
    clean(neg)
    vote = open_vote(neg)
    do(neg.u.lyon, neg.meeting, "vote.cast", vote_id=vote["id"], choice="no")
    do(neg.u.annecy, neg.meeting, "vote.cast", vote_id=vote["id"], choice="yes")
    do(neg.u.chair, neg.meeting, "vote.close", vote_id=vote["id"])
    page = client.get(f"/meetings/{neg.meeting.id}/minutes").get_data(as_text=True)
    assert "Ont pris part au vote : Métropole de Lyon, CA du Grand Annecy." in page
    assert "Votes : CA du Grand Annecy — Pour, Métropole de Lyon — Contre." in page
    assert "Vote clos (pour 1, contre 1, abstention 0) : rejeté." in page
