"""`cop demo --feuille-de-route` ends with one contract: the Métropole de Lyon's chemistry pledges with the State's
granted support, three milestones, signed by Lyon, the Region and the State on their acts, one payment; verified."""
import hashlib

from cop.contracts.models import Contract, Disbursement
from cop.db import db
from tests.test_contracts import pango  # noqa: F401  (the fixture)


def test_the_demo_shows_lyons_chemistry_contract_signed_by_three(client, runner, pango):
    result = runner.invoke(args=["cop", "demo", "--feuille-de-route"])
    assert result.exit_code == 0, result.output
    contract = db.session.scalar(db.select(Contract))
    assert contract.party.name == "Métropole de Lyon" and contract.sector.code == "chimie-materiaux"
    assert contract.is_signed and [s.role for s in contract.signatures] == ["territory", "region", "state"]
    assert contract.content["granted_total"] == 60000000
    assert [m.amount for m in contract.milestones] == [20000000, 25000000, 15000000]
    assert [d.amount for d in db.session.scalars(db.select(Disbursement))] == [12000000]
    page = client.get(f"/cop/{contract.conference_id}/contrats/1").get_data(as_text=True)
    assert "Premier acompte" in page and all(s.act.sha256 in page for s in contract.signatures)
    download = client.get(f"/cop/{contract.conference_id}/contrats/1.json").data
    assert hashlib.sha256(download).hexdigest() == contract.sha256
    assert runner.invoke(args=["cop", "contract", "verify"]).exit_code == 0
    assert runner.invoke(args=["cop", "demo", "--feuille-de-route"]).exit_code == 0
    assert db.session.scalar(db.select(db.func.count(Contract.id))) == 1
    assert db.session.scalar(db.select(db.func.count(Disbursement.id))) == 1
