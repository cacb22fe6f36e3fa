"""Consolidation: chapters, sums and gaps, support, sites, milestones, annexes, and what changed."""
from cop.db import db
from cop.roadmap import services
from cop.roadmap.changes import changes
from tests.roadmap import scenario as sc


def _chapter(content, code):
    return next(c for c in content["chapters"] if c["sector"] == code)


def test_draft_consolidates_accepted_commitments(make):
    s = sc.build(make)
    db.session.commit()
    version = services.generate_draft(s.secretariat, s.conference)
    db.session.commit()
    content = version.content
    assert version.number == 1 and version.state == "draft"
    assert content["conference"]["code"] == "COP-AURA-2027" and content["conference"]["parties_count"] == 3
    first = _chapter(content, s.sectors[0].code)
    jobs = next(r for r in first["indicators"] if r["indicator"] == "jobs-created")
    assert (jobs["target"], jobs["unconditional"], jobs["conditional"]) == (1000, 320, 350)
    assert (jobs["gap_unconditional"], jobs["gap_conditional"], jobs["parties"]) == (680, 650, 2)
    invest = next(r for r in first["indicators"] if r["indicator"] == "investment")
    assert invest["unconditional"] == "1500000.5" and invest["gap_unconditional"] == "3499999.5"
    assert first["support"] == [{"funder": "state", "amount": 250000, "requests": [
        {"party": s.parties[0].id, "party_name": "CC numéro 1", "amount": 250000, "purpose": "Ligne de production"}]}]
    assert first["sites"][0]["commune"] == "01001" and first["sites"][0]["hectares"] == "12.5"
    assert first["milestones"][0]["year"] == 2030
    assert [a["party_name"] for a in content["annexes"]["silent_parties"]] == ["CC numéro 3"]
    assert len(version.roadmap.versions) == 1


def test_only_latest_accepted_version_counts(make):
    s = sc.build(make)
    jobs = s.indicators["jobs-created"]
    sc.file_version(s.commitments[1], 2, {jobs: (150, 0)}, justification="Fermeture d’usine", step_back=True)
    sc.file_version(s.commitments[1], 3, {jobs: (900, 0)}, status="submitted")
    db.session.commit()
    content = services.generate_draft(s.secretariat, s.conference).content
    row = _chapter(content, s.sectors[0].code)["indicators"][0]
    assert row["unconditional"] == 270
    assert content["annexes"]["step_backs"] == [{"party": s.parties[1].id, "party_name": "CC numéro 2",
                                                 "sector": s.sectors[0].code, "sector_name": s.sectors[0].name,
                                                 "version": 2,
                                                 "justification": "Fermeture d’usine"}]


def test_withdrawn_commitment_leaves_the_roadmap(make):
    s = sc.build(make)
    s.commitments[2].status = "withdrawn"
    db.session.commit()
    content = services.generate_draft(s.secretariat, s.conference).content
    assert _chapter(content, s.sectors[1].code)["pledges"] == []


def test_changes_since_previous_draft(make):
    s = sc.build(make)
    db.session.commit()
    services.generate_draft(s.secretariat, s.conference)
    jobs = s.indicators["jobs-created"]
    sc.file_version(s.commitments[1], 2, {jobs: (260, 0)})
    sc.commitment(s.parties[2], s.sectors[1], {jobs: (40, 0)})
    db.session.commit()
    second = services.generate_draft(s.secretariat, s.conference)
    first = second.roadmap.versions[0]
    lines = changes(first.content, second.content)
    assert any("CC numéro 2" in line and "200" in line and "260" in line for line in lines)
    assert any("CC numéro 3" in line and "nouvelle" in line for line in lines)
    assert any("CC numéro 3" in line and "déposé" in line for line in lines)
    assert changes(second.content, second.content) == []


def test_draft_queries_do_not_grow_with_parties(make, app):
    from sqlalchemy import event

    s = sc.build(make)
    db.session.commit()
    statements = []
    listener = lambda *args: statements.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        services.generate_draft(s.secretariat, s.conference)
        few = len(statements)
        for n in range(10):
            party = make.party(s.conference)
            sc.commitment(party, s.sectors[0], {s.indicators["jobs-created"]: (n, 0)})
        db.session.commit()
        statements.clear()
        services.generate_draft(s.secretariat, s.conference)
        assert len(statements) <= few + 2
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
