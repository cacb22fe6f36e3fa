"""Regional targets: a table of filière × indicator for one year; nothing written when one cell is wrong."""
from decimal import Decimal

import pytest

from cop.conferences.models import Target
from cop.db import db


def _targets() -> dict:
    rows = db.session.scalars(db.select(Target)).all()
    return {(t.sector.code, t.indicator.code, t.year): t.value for t in rows}


@pytest.fixture
def managed(make, auth):
    """A COP in preparation with the reference data, and its logged-in secretariat."""
    conference = make.conference(horizon_year=2030)
    make.reference()
    secretary = make.member(conference, "secretariat")
    db.session.commit()
    auth.login(secretary.email)
    return conference


def _post(client, conference, cells, year="2030", previous=None):
    data = {"annee": year}
    data.update({f"v__{s}__{i}": value for (s, i), value in cells.items()})
    data.update({f"p__{s}__{i}": value for (s, i), value in (previous or {}).items()})
    return client.post(f"/cop/{conference.id}/objectifs", data=data)


def test_table_editor_writes_french_numbers(client, managed):
    response = _post(client, managed, {("automobile", "jobs-created"): "1 200",
                                       ("chimie-materiaux", "brownfield-ha"): "12,5",
                                       ("bois", "investment"): ""})
    assert response.status_code == 302
    assert _targets() == {("automobile", "jobs-created", 2030): Decimal("1200"),
                          ("chimie-materiaux", "brownfield-ha", 2030): Decimal("12.5")}
    page = client.get(f"/cop/{managed.id}/objectifs?annee=2030").get_data(as_text=True)
    assert 'name="v__automobile__jobs-created" id="v__automobile__jobs-created" value="1 200"' in page
    assert 'aria-labelledby="sec-automobile ind-jobs-created"' in page


def test_empty_cell_removes_a_target_and_unchanged_cells_count_nothing(client, managed, make):
    sectors, indicators = make.reference()
    make.target(managed, sectors[0], indicators[0], 300)
    make.target(managed, sectors[1], indicators[0], 400)
    db.session.commit()
    cells = {(sectors[0].code, indicators[0].code): "", (sectors[1].code, indicators[0].code): "400"}
    response = _post(client, managed, cells)
    assert response.status_code == 302
    assert "1 modification(s)" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert list(_targets()) == [(sectors[1].code, indicators[0].code, 2030)]


@pytest.mark.parametrize("cells, status, message", [
    ({("licornes", "jobs-created"): "10"}, 404, "Filière inconnue : « licornes »"),
    ({("automobile", "bonheur"): "10"}, 404, "Indicateur inconnu : « bonheur »"),
    ({("automobile", "jobs-created"): "-5"}, 422, "« -5 » refusé (valeur négative)"),
    ({("automobile", "jobs-created"): "beaucoup"}, 422, "« beaucoup » refusé (un nombre positif est attendu"),
    ({("automobile", "jobs-created"): "1e9"}, 422, "un nombre positif est attendu"),
    ({("automobile", "jobs-created"): "NaN"}, 422, "un nombre positif est attendu"),
    ({("automobile", "jobs-created"): "12,3456"}, 422, "deux décimales au plus"),
    ({("automobile", "jobs-created"): "12,345"}, 422, "est ambigu"),
])
def test_bad_cells_are_refused_and_nothing_is_written(client, managed, cells, status, message):
    good = {("sante", "jobs-created"): "3000"}
    response = _post(client, managed, {**good, **cells})
    assert response.status_code == status
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert _targets() == {}


def test_refused_table_keeps_what_was_typed(client, managed):
    response = _post(client, managed, {("sante", "jobs-created"): "3000", ("bois", "net-sites"): "-1"})
    page = response.get_data(as_text=True)
    assert 'value="3000"' in page and 'value="-1"' in page


def test_year_outside_the_cop_span_is_refused(client, managed):
    response = _post(client, managed, {("sante", "jobs-created"): "3000"}, year="2040")
    assert response.status_code == 422
    assert "entre 2027 et 2030" in response.get_data(as_text=True)
    assert client.get(f"/cop/{managed.id}/objectifs?annee=deux-mille").status_code == 422
    assert _targets() == {}


def test_concurrent_edit_of_a_cell_is_refused(client, managed, make):
    sectors, indicators = make.reference()
    make.target(managed, sectors[0], indicators[0], 500)  # someone else set 500 after our form showed 300
    db.session.commit()
    cell = (sectors[0].code, indicators[0].code)
    response = _post(client, managed, {cell: "350"}, previous={cell: "300"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "modifiés depuis l&#39;ouverture du tableau" in page and "maintenant « 500 »" in page
    assert _targets()[(*cell, 2030)] == Decimal("500")


def test_targets_frozen_after_the_call_for_commitments(client, managed):
    managed.phase = "negotiation"
    db.session.commit()
    response = _post(client, managed, {("sante", "jobs-created"): "3000"})
    assert response.status_code == 409
    assert "Impossible en phase « Négociation » : seulement en phase « Préparation », « Appel à engagements »" in \
        response.get_data(as_text=True)
    assert "<input type=\"text\"" not in client.get(f"/cop/{managed.id}/objectifs").get_data(as_text=True)
    assert _targets() == {}


def test_observer_and_delegate_cannot_set_targets(client, auth, make):
    conference = make.conference()
    make.reference()
    observer = make.member(conference, "observer")
    db.session.commit()
    auth.login(observer.email)
    assert client.get(f"/cop/{conference.id}/objectifs").status_code == 403
    assert _post(client, conference, {("sante", "jobs-created"): "3000"}).status_code == 403
    assert _targets() == {}


def test_service_refuses_a_stranger(make):
    from cop.conferences.targets import set_targets
    from cop.errors import Forbidden

    conference = make.conference()
    make.reference()
    with pytest.raises(Forbidden):
        set_targets(make.user(), conference, 2030, {("sante", "jobs-created"): "1"})
