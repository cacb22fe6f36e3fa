"""The synthesis: sums over the latest accepted versions, gaps, coverage, top contributors, flags, page."""
from decimal import Decimal

import pytest
from sqlalchemy import event

from cop.commitments import filing_sums, services, submission, synthesis
from cop.commitments.inputs import PledgeInput
from cop.db import db
from tests.commitment_helpers import build_world, draft_input, file, site


@pytest.fixture
def world(make):
    w = build_world(make)
    make.target(w.conference, w.sectors["automobile"], w.indicators["jobs-created"], 1000)
    make.target(w.conference, w.sectors["bois"], w.indicators["jobs-created"], 300)
    db.session.commit()
    return w


def _row(result, sector, indicator):
    return next(r for r in result.rows if r.sector.code == sector and r.indicator.code == indicator)


def test_sums_gaps_and_parties(world):
    file(world, world.a, "automobile", draft_input("200", "100"))
    file(world, world.b, "automobile", draft_input("300", "50"))
    row = _row(synthesis.compute(world.conference), "automobile", "jobs-created")
    assert (row.target, row.unconditional, row.conditional) == (Decimal("1000"), Decimal("500"), Decimal("650"))
    assert (row.gap_unconditional, row.gap_conditional, row.parties) == (Decimal("500"), Decimal("350"), 2)


def _versions_of_every_kind(world) -> None:
    """Automobile: A's v1 and v2 accepted (150 counts), v3 submitted only, v4 a draft; B's never accepted."""
    commitment = file(world, world.a, "automobile", draft_input("100"))
    file(world, world.a, "automobile", draft_input("150"))                  # v2 accepted
    file(world, world.a, "automobile", draft_input("900"), accept=False)   # v3 submitted only
    services.open_draft(world.head_a, commitment)                          # v4 draft
    services.save_draft(world.head_a, commitment, commitment.version, draft_input("5000"))
    file(world, world.b, "automobile", draft_input("70"), accept=False)    # never accepted


def test_only_the_latest_accepted_version_of_live_commitments_counts(world):
    _versions_of_every_kind(world)
    result = synthesis.compute(world.conference)
    assert _row(result, "automobile", "jobs-created").unconditional == Decimal("150")
    assert _row(result, "automobile", "jobs-created").parties == 1


def test_withdrawn_commitments_leave_the_synthesis(world):
    commitment = file(world, world.a, "automobile", draft_input("100"))
    submission.withdraw(world.head_a, commitment, "Projet abandonné.")
    row = _row(synthesis.compute(world.conference), "automobile", "jobs-created")
    assert (row.unconditional, row.parties) == (Decimal(0), 0)


def test_rows_without_target_have_no_gap(world):
    file(world, world.a, "automobile", draft_input("5", indicator="net-sites"))
    row = _row(synthesis.compute(world.conference), "automobile", "net-sites")
    assert row.target is None and row.gap_unconditional is None and row.unconditional == Decimal(5)


def test_coverage_in_parties_and_population(world, make):
    world.conference.region.population = 1_500_000
    make.party(world.conference, name="Services de l’État", kind="state")
    file(world, world.a, "automobile", draft_input("100"), accept=False)
    coverage = synthesis.compute(world.conference).coverage
    assert (coverage["parties"], coverage["filed"], coverage["population"]) == (3, 1, 120_000)
    assert coverage["parties_share"] == pytest.approx(1 / 3)
    assert coverage["population_share"] == pytest.approx(0.08)


def test_top_contributors_and_support_by_funder(world):
    file(world, world.a, "automobile", draft_input("200", "100"))
    file(world, world.b, "automobile", draft_input("250", "0"))
    file(world, world.b, "bois", draft_input("10", "20"))
    result = synthesis.compute(world.conference)
    top = result.top[world.indicators["jobs-created"].id]
    assert [(t["party"], t["total"]) for t in top] == [("CA du Bassin A", Decimal(300)), ("CC du Val B", Decimal(280))]
    assert result.support == [{"funder": "bpifrance", "requests": 2, "amount": Decimal("1000000.00")}]


def test_flags(world, make):
    world.conference.horizon_year = 2030
    other = make.party(world.conference, name="Comité de filière bois", kind="sector_committee")
    file(world, world.a, "automobile", draft_input("100", sites=[site("Friche Vallourec")]))
    late = draft_input("100", sites=[site("friche vallourec")])
    late.pledges.append(PledgeInput("investment", 2025, Decimal(0), 2035, Decimal(10)))
    late.target_year = 2035
    file(world, world.b, "automobile", late)
    file(world, world.a, "automobile", draft_input("50", justification="Un site ferme.", sites=[site()]))
    flags = synthesis.compute(world.conference).flags
    assert flags.uncovered_sectors == ["Bois"]
    assert flags.silent_parties == [other.name]
    assert flags.shared_sites == [{"site": "Friche Vallourec", "commune": "Lyon",
                                   "parties": ["CA du Bassin A", "CC du Val B"]}]
    assert flags.late_pledges == [{"party": "CC du Val B", "sector": "Automobile",
                                   "indicator": "Investissement industriel", "year": 2035}]
    assert flags.step_backs == [{"party": "CA du Bassin A", "sector": "Automobile"}]


def _statements(conference) -> int:
    """How many SQL statements one synthesis runs."""
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        synthesis.compute(conference)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def test_query_count_does_not_grow_with_commitments(world, make):
    file(world, world.a, "automobile", draft_input("10"))
    _statements(world.conference)  # loads the region once
    small = _statements(world.conference)
    for index in range(4):
        party = make.party(world.conference)
        head = make.member(world.conference, "head_of_delegation", party)
        file(world, party, "automobile", draft_input(str(index + 1)), user=head)
    assert _statements(world.conference) == small


def test_synthesis_page_is_accessible_and_csp_clean(world, client):
    file(world, world.a, "automobile", draft_input("200", "100"))
    db.session.commit()
    page = client.get(f"/cop/{world.conference.id}/synthese").get_data(as_text=True)
    assert '<svg class="chart" role="img"' in page and "<title id=" in page and "<desc id=" in page
    assert "Automobile : objectif, engagements et écarts" in page and '<th scope="col"' in page
    assert " style=" not in page and "<script>" not in page
    assert page.count('class="seg-gap"') == 2            # automobile and bois both short of target
    assert "20 % de l’objectif sans conditions, 30 % avec" in page
    assert '<td class="num">800</td><td class="num">700</td>' in page   # gaps: 1000 − 200, 1000 − 300


def test_many_conferences_in_one_pass_match_one_by_one(world, make):
    file(world, world.a, "automobile", draft_input("200", "100", sites=[site()]))
    other = make.conference(make.region("53", "Bretagne", 3_400_000), phase="call_for_commitments")
    make.target(other, world.sectors["automobile"], world.indicators["jobs-created"], 50)
    breton = make.party(other, name="Brest métropole", kind="organisation")
    head = make.member(other, "head_of_delegation", breton)
    services.declare_priority(head, breton, world.sectors["automobile"], "Naval et automobile.")
    commitment = services.start_commitment(head, breton, world.sectors["automobile"])
    services.save_draft(head, commitment, commitment.version, draft_input("70"))
    president = make.member(other, "presidency")
    submission.review(president, submission.submit(head, commitment, commitment.version), True, "")
    together = synthesis.compute_many([world.conference, other])
    for conference in (world.conference, other):
        alone = synthesis.compute(conference)
        assert together[conference.id].rows == alone.rows and together[conference.id].flags == alone.flags
        assert together[conference.id].coverage == alone.coverage and together[conference.id].top == alone.top
    assert [(r.sector.code, r.unconditional) for r in together[other.id].rows] == [("automobile", Decimal(70))]


def test_the_lines_coverage_and_a_filieres_lines_alone_match_the_whole_synthesis(world, make):
    """The public COP page computes only the lines and the coverage, a filière's page only its lines: the same."""
    file(world, world.a, "automobile", draft_input("200", "100"))
    file(world, world.b, "automobile", draft_input("300", "50"))
    file(world, world.a, "bois", draft_input("40"))
    file(world, world.b, "bois", draft_input("7"), accept=False)
    whole = synthesis.compute(world.conference)
    assert synthesis.rows_of(world.conference) == whole.rows
    assert synthesis.coverage(world.conference) == whole.coverage
    for code in ("automobile", "bois"):
        sector = world.sectors[code]
        assert synthesis.rows_of(world.conference, sector.id) == [r for r in whole.rows if r.sector.id == sector.id]
    assert [r.unconditional for r in synthesis.rows_of(world.conference, world.sectors["bois"].id)
            if r.indicator.code == "jobs-created"] == [Decimal(40)]


def test_a_cops_lines_read_with_their_targets_in_one_statement_are_the_whole_synthesis(world, make):
    """`rows_of` reads the sums and the targets in one statement (a UNION ALL): the same lines as the whole
    synthesis, with a target of several years (the latest counts, whatever the order the rows come in), a target
    with no pledge, a pledge with no target, a withdrawn commitment and a draft; one statement for the lines."""
    make.target(world.conference, world.sectors["automobile"], world.indicators["jobs-created"], 800, year=2028)
    make.target(world.conference, world.sectors["automobile"], world.indicators["jobs-created"], 1200, year=2035)
    file(world, world.a, "automobile", draft_input("200", "100"))
    file(world, world.b, "bois", draft_input("7"), accept=False)
    withdrawn = file(world, world.b, "automobile", draft_input("40"))
    submission.withdraw(world.head_b, withdrawn, "Projet abandonné.")
    whole = synthesis.compute(world.conference)
    statements = []

    def sniff(*args) -> None:
        statements.append(" ".join(args[2].split()))

    event.listen(db.engine, "before_cursor_execute", sniff)
    try:
        rows = synthesis.rows_of(world.conference)
    finally:
        event.remove(db.engine, "before_cursor_execute", sniff)
    assert rows == whole.rows
    assert [s for s in statements if "UNION ALL" in s and " FROM target" in s] and \
        not [s for s in statements if " FROM target" in s and "UNION ALL" not in s]
    line = next(r for r in rows if r.sector.code == "automobile" and r.indicator.code == "jobs-created")
    assert (line.target, line.target_year, line.unconditional, line.parties) == (Decimal(1200), 2035, Decimal(200), 1)
    bois = next(r for r in rows if r.sector.code == "bois" and r.indicator.code == "jobs-created")
    assert (bois.target, bois.unconditional, bois.parties) == (Decimal(300), Decimal(0), 0)
    for code in ("automobile", "bois"):
        sector = world.sectors[code]
        assert synthesis.rows_of(world.conference, sector.id) == [r for r in whole.rows if r.sector.id == sector.id]


def test_a_cops_lines_alone_count_only_the_latest_accepted_version_of_live_commitments(world):
    """`rows_of` (the public COP and filière pages) and the whole synthesis read the sums kept in filing_sum: the
    same lines, and the sums kept are what the latest accepted versions' lines add up to, version for version."""
    _versions_of_every_kind(world)
    withdrawn = file(world, world.b, "bois", draft_input("40"))
    submission.withdraw(world.head_b, withdrawn, "Projet abandonné.")
    rows = synthesis.rows_of(world.conference)
    assert rows == synthesis.compute(world.conference).rows
    line = next(r for r in rows if r.sector.code == "automobile" and r.indicator.code == "jobs-created")
    assert (line.unconditional, line.parties) == (Decimal("150"), 1)
    assert all(r.unconditional == 0 and r.parties == 0 for r in rows if r.sector.code == "bois")
    db.session.commit()
    assert filing_sums.check(db.session) == []
