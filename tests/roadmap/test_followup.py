"""Progress reports, their review, the stocktake and the scorecards."""
from decimal import Decimal

import pytest

from cop.audit.models import AuditEvent
from cop.db import db
from cop.errors import Conflict, Forbidden, Invalid, NotFound, WrongPhase
from cop.followup import services, stocktake
from cop.followup.models import ProgressReport
from tests.roadmap.test_adoption import adopted


def implemented(make):
    s, version = adopted(make)
    s.conference.phase = "implementation"
    db.session.commit()
    pledges = {(p["party"], p["indicator"], c["sector"]): p["id"]
               for c in version.content["chapters"] for p in c["pledges"]}
    return s, version, pledges


def test_party_reports_and_presidency_reviews(make):
    s, version, pledges = implemented(make)
    pid = pledges[(s.parties[0].id, "jobs-created", s.sectors[0].code)]
    item = services.report(s.heads[0], s.parties[0], pid, 2027, "45,5", "https://exemple.fr/deliberation.pdf",
                           "Deux usines ouvertes")
    db.session.commit()
    assert (item.state, item.achieved_value, item.year) == ("submitted", Decimal("45.50"), 2027)
    services.review(s.presidency, item, False, "Quelle source pour les emplois ?")
    db.session.commit()
    assert item.state == "questioned"
    services.report(s.heads[0], s.parties[0], pid, 2027, "44", "https://exemple.fr/dares.csv", "Source : DARES",
                    expected=item.row_version)
    services.review(s.presidency, item, True)
    db.session.commit()
    assert item.state == "accepted"
    with pytest.raises(Conflict):
        services.report(s.heads[0], s.parties[0], pid, 2027, "50")
    actions = [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.seq))][-4:]
    assert actions == ["progress.reported", "progress.reviewed", "progress.reported", "progress.reviewed"]


def test_reporting_for_another_party_is_refused(make):
    s, version, pledges = implemented(make)
    theirs = pledges[(s.parties[1].id, "jobs-created", s.sectors[0].code)]
    with pytest.raises(Forbidden):
        services.report(s.heads[0], s.parties[1], theirs, 2027, "10")
    with pytest.raises(NotFound):
        services.report(s.heads[0], s.parties[0], theirs, 2027, "10")
    assert db.session.scalar(db.select(db.func.count(ProgressReport.id))) == 0


@pytest.mark.parametrize("pledge_id", [999_999, -1, "3", None])
def test_report_on_a_pledge_that_does_not_exist(make, pledge_id):
    s, _, _ = implemented(make)
    with pytest.raises(NotFound):
        services.report(s.heads[0], s.parties[0], pledge_id, 2027, "10")


def test_report_on_a_pledge_of_a_draft_version_is_refused(make):
    from tests.roadmap import scenario as sc

    s, _, _ = implemented(make)
    newer = sc.file_version(s.commitments[0], 2, {s.indicators["jobs-created"]: (300, 0)}, status="submitted")
    with pytest.raises(NotFound):
        services.report(s.heads[0], s.parties[0], newer.pledges[0].id, 2027, "10")


@pytest.mark.parametrize("year, value, url, message", [
    (2025, "10", "", "année"), (2031, "10", "", "année"), (2027, "-4", "", "positif"), (2027, "dix", "", "nombre"),
    (2027, "NaN", "", "positif"), (2027, "10", "javascript:alert(1)", "http"), (2027, "10", "ftp://x.fr/a", "http"),
    (2027, "10", "https://", "http"),
])
def test_report_input_is_checked(make, year, value, url, message):
    s, _, pledges = implemented(make)
    pid = pledges[(s.parties[0].id, "jobs-created", s.sectors[0].code)]
    with pytest.raises(Invalid, match=message):
        services.report(s.heads[0], s.parties[0], pid, year, value, url)


def test_report_refused_outside_implementation(make):
    s, version = adopted(make)
    pid = version.content["chapters"][0]["pledges"][0]["id"]
    with pytest.raises(WrongPhase):
        services.report(s.heads[0], s.parties[0], pid, 2027, "10")


def test_review_refusals(make):
    s, _, pledges = implemented(make)
    pid = pledges[(s.parties[0].id, "jobs-created", s.sectors[0].code)]
    item = services.report(s.heads[0], s.parties[0], pid, 2027, "10")
    db.session.commit()
    with pytest.raises(Forbidden):
        services.review(s.heads[1], item, True)
    with pytest.raises(Invalid):
        services.review(s.presidency, item, False, "  ")
    with pytest.raises(Conflict):
        services.review(s.presidency, item, True, expected=item.row_version + 1)


def test_stocktake_lines_and_scorecard(make):
    s, version, pledges = implemented(make)
    jobs = (s.sectors[0].code, "jobs-created")
    services.report(s.heads[0], s.parties[0], pledges[(s.parties[0].id, *jobs[::-1])], 2027, "40")
    item = services.report(s.heads[1], s.parties[1], pledges[(s.parties[1].id, *jobs[::-1])], 2027, "60")
    services.review(s.presidency, item, True)
    db.session.commit()
    line = next(row for row in stocktake.lines(s.conference, version) if (row.sector, row.indicator) == jobs)
    assert (line.target, line.pledged, line.achieved[2027], line.accepted[2027]) == (1000, 320, 100, 60)
    assert line.gap == 220 and line.last_year == 2027
    assert line.pledged_by_year[2030] == 320 and line.pledged_by_year[2028] == Decimal("192")
    assert line.pledged_by_year[2027] == Decimal("128")
    card = stocktake.scorecard(s.parties[1], version)
    assert [(r["indicator"], r["share"]) for r in card] == [("jobs-created", 30), ("jobs-created", None)]


def test_stocktake_and_scorecard_pages(make, client, auth):
    s, version, pledges = implemented(make)
    pid = pledges[(s.parties[0].id, "jobs-created", s.sectors[0].code)]
    services.report(s.heads[0], s.parties[0], pid, 2028, "70")
    db.session.commit()
    html = client.get(f"/cop/{s.conference.id}/bilan").get_data(as_text=True)
    assert html.count('role="img"') == 3 and "<title" in html and "données du graphique" in html
    assert 'style="' not in html and "<script" not in html
    card = client.get(f"/cop/{s.conference.id}/bilan/parties/{s.parties[0].id}").get_data(as_text=True)
    assert "Déposer un rapport" not in card and "70" in card
    auth.login(s.heads[0].email)
    response = client.post(f"/cop/{s.conference.id}/bilan/parties/{s.parties[0].id}/rapports",
                           data={"pledge_id": str(pid), "year": "2029", "achieved_value": "90",
                                 "evidence_url": "https://exemple.fr/rapport", "comment": ""})
    assert response.status_code == 302
    response = client.post(f"/cop/{s.conference.id}/bilan/parties/{s.parties[1].id}/rapports",
                           data={"pledge_id": str(pid), "year": "2029", "achieved_value": "90"})
    assert response.status_code == 403
    response = client.post(f"/cop/{s.conference.id}/bilan/parties/{s.parties[0].id}/rapports",
                           data={"pledge_id": "424242", "year": "2029", "achieved_value": "90"})
    assert response.status_code == 404
    auth.login(s.presidency.email)
    item = db.session.scalar(db.select(ProgressReport).filter_by(year=2029))
    response = client.post(f"/cop/{s.conference.id}/bilan/rapports/{item.id}/examen",
                           data={"verdict": "accept", "row_version": str(item.row_version)})
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.state == "accepted"


def test_a_report_for_the_year_before_the_edition_counts(make, client):
    """Reports may be filed from the year after the pledge's reference year (2026), before the edition (2027):
    the stocktake's lines, charts and tables start at the baseline year and show them."""
    s, version, pledges = implemented(make)
    assert s.conference.edition_year == 2027
    jobs = (s.sectors[0].code, "jobs-created")
    first = services.report(s.heads[0], s.parties[0], pledges[(s.parties[0].id, *jobs[::-1])], 2026, "10")
    second = services.report(s.heads[1], s.parties[1], pledges[(s.parties[1].id, *jobs[::-1])], 2026, "20")
    services.review(s.presidency, first, True)
    services.review(s.presidency, second, True)
    db.session.commit()
    line = next(row for row in stocktake.lines(s.conference, version) if (row.sector, row.indicator) == jobs)
    assert line.years[0] == 2025 and line.years[-1] == 2030
    assert (line.achieved[2026], line.accepted[2026], line.last_year) == (30, 30, 2026)
    # The trajectory: 120 and 200 pledged from 0 in 2025 to 2030, a fifth of the way in 2026.
    assert line.due == 64 and line.gap_trajectory == 34 and line.gap == 290
    html = client.get(f"/cop/{s.conference.id}/bilan").get_data(as_text=True)
    assert '<th scope="row">2026</th>' in html and "Écart à la trajectoire" in html
    assert "64" in html and "34" in html and "290" in html
    client.get("/langue/en")
    english = client.get(f"/cop/{s.conference.id}/bilan").get_data(as_text=True)
    assert "Gap to the trajectory" in english and "Gap to the final value" in english


def test_ahead_of_the_trajectory_is_a_negative_gap(make):
    s, version, pledges = implemented(make)
    jobs = (s.sectors[0].code, "jobs-created")
    services.report(s.heads[1], s.parties[1], pledges[(s.parties[1].id, *jobs[::-1])], 2028, "300")
    db.session.commit()
    line = next(row for row in stocktake.lines(s.conference, version) if (row.sector, row.indicator) == jobs)
    # Due in 2028: three fifths of 320 = 192; 300 achieved is 108 ahead, and 20 short of the final 320.
    assert (line.due, line.gap_trajectory, line.gap) == (192, -108, 20)
