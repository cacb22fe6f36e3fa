"""Binding with a legal footing: a signature carries the act that authorises it, the signatory re-authenticates,
the act's PDF is checked, stored with its SHA-256, published and verified."""
import hashlib
import io
import re
from datetime import date, timedelta

import pytest

from cop.auth.models import ThrottleHit
from cop.db import db
from cop.errors import Forbidden, Invalid, Throttled
from cop.roadmap import signatures
from cop.roadmap.acts import ActInput
from cop.roadmap.models import Signature, SignatureAct
from cop.rulebook.enums import ActKind
from tests.factories import PASSWORD
from tests.roadmap.test_adoption import adopted

_PDF: dict = {}


def real_pdf() -> bytes:
    """A small real PDF of an act, laid out by WeasyPrint as the demo makes them (made once)."""
    if "pdf" not in _PDF:
        from cop.roadmap.demo import act_pdf

        _PDF["pdf"] = act_pdf("CC numéro 1", "DEL-2027-042", date(2027, 5, 3), "Conseil communautaire",
                              ActKind.DELIBERATION)
    return _PDF["pdf"]


def act(data: bytes = None, content_type: str = "application/pdf", **kw) -> ActInput:
    fields = dict(kind=ActKind.DELIBERATION, number="DEL-2027-042", adopted_on=date.today() - timedelta(days=3),
                  body="Conseil communautaire", filename="deliberation.pdf")
    fields.update(kw)
    return ActInput(fields["kind"], fields["number"], fields["adopted_on"], fields["body"], fields["filename"],
                    content_type, real_pdf() if data is None else data)


def requiring(make):
    s, version = adopted(make)
    s.conference.signature_act_required = True
    db.session.commit()
    return s, version


def test_a_signature_carries_its_act_and_its_hash(make, pango):
    s, version = requiring(make)
    signature = signatures.sign(s.heads[0], version, s.parties[0], version.sha256, password=PASSWORD, act=act())
    db.session.commit()
    stored = signature.act
    assert (stored.kind, stored.number, stored.body) == ("deliberation", "DEL-2027-042", "Conseil communautaire")
    assert stored.sha256 == hashlib.sha256(real_pdf()).hexdigest() and stored.size == len(real_pdf())


def test_a_signature_without_an_act_is_refused_where_the_rules_require_one(make):
    s, version = requiring(make)
    with pytest.raises(Invalid, match="exige l’acte"):
        signatures.sign(s.heads[0], version, s.parties[0], version.sha256, password=PASSWORD)
    db.session.rollback()
    assert signatures.signature_of(version, s.parties[0]) is None


def test_without_the_rule_an_act_is_optional(make):
    s, version = adopted(make)
    signature = signatures.sign(s.heads[0], version, s.parties[0], version.sha256, password=PASSWORD)
    db.session.commit()
    assert signature.act is None


def test_a_wrong_password_is_refused_and_counted_like_a_login(make):
    s, version = requiring(make)
    with pytest.raises(signatures.PasswordRefused):
        signatures.sign(s.heads[0], version, s.parties[0], version.sha256, password="pas-le-bon", act=act(b""))
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(ThrottleHit.id))) == 3  # pair, address, account
    assert signatures.signature_of(version, s.parties[0]) is None


def test_password_guessing_through_the_signing_form_is_throttled(make):
    s, version = requiring(make)
    for _ in range(10):
        with pytest.raises(signatures.PasswordRefused):
            signatures.reauthenticate(s.heads[0], "devine", "203.0.113.7")
        db.session.commit()
    with pytest.raises(Throttled):
        signatures.sign(s.heads[0], version, s.parties[0], version.sha256, password=PASSWORD,
                        client="203.0.113.7")


@pytest.mark.parametrize("who", ["delegate", "unaccredited_head", "other_party_head"])
def test_only_the_accredited_head_signs_even_with_the_password_and_an_act(make, who):
    s, version = requiring(make)
    party = s.parties[0]
    if who == "delegate":
        user = make.member(s.conference, "delegate", party, may_file=True)
    elif who == "unaccredited_head":
        user = s.heads[0]
        party.accreditation = "suspended"
    else:
        user = s.heads[1]
    db.session.commit()
    with pytest.raises(Forbidden):
        signatures.sign(user, version, party, version.sha256, password=PASSWORD, act=act(b"%PDF-1.7\n%%EOF"))
    assert signatures.signature_of(version, party) is None


@pytest.mark.parametrize("data, content_type, message", [
    (b"GIF89a not a pdf at all %%EOF", "application/pdf", "n’est pas un PDF"),
    (b"<html><script>alert(1)</script></html>", "application/pdf", "n’est pas un PDF"),
    (b"%PDF-1.7\n" + b"0" * 200, "application/pdf", "n’est pas un PDF"),  # no end marker
    (b"%PDF-1.7\n%%EOF", "text/html", "type application/pdf"),
    (b"%PDF-1.7\n%%EOF", "image/svg+xml", "type application/pdf"),
    (b"", "application/pdf", "Joignez le PDF"),
    (b"%PDF-1.7\n" + b" " * (1536 * 1024) + b"%%EOF", "application/pdf", "dépasse"),
])
def test_hostile_uploads_are_refused(make, data, content_type, message):
    s, version = requiring(make)
    with pytest.raises(Invalid, match=message):
        signatures.sign(s.heads[0], version, s.parties[0], version.sha256, password=PASSWORD,
                        act=act(data, content_type))
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(SignatureAct.id))) == 0


@pytest.mark.parametrize("field, value, message", [
    ("kind", "procuration", "nature de l’acte"), ("number", "  ", "numéro"), ("number", "x" * 61, "numéro"),
    ("body", "", "organe"), ("adopted_on", None, "date"), ("adopted_on", date.today() + timedelta(days=2), "futur"),
])
def test_act_fields_are_checked(make, field, value, message):
    s, version = requiring(make)
    with pytest.raises(Invalid, match=message):
        signatures.sign(s.heads[0], version, s.parties[0], version.sha256, password=PASSWORD,
                        act=act(b"%PDF-1.7\n%%EOF", **{field: value}))


def test_a_tampered_act_is_caught_by_verify_and_not_served(make, client, runner, pango):
    s, version = requiring(make)
    signatures.sign(s.heads[0], version, s.parties[0], version.sha256, password=PASSWORD,
                    act=act(filename="../../etc/délib n°42.PDF"))
    db.session.commit()
    stored = db.session.scalar(db.select(SignatureAct))
    assert stored.filename == "d-lib-n-42.PDF"  # no path, no character a header could misread
    result = runner.invoke(args=["cop", "roadmap", "verify"])
    assert result.exit_code == 0 and "1 acte(s)" in result.output
    url = f"/cop/{s.conference.id}/feuille-de-route/v{version.number}/actes/{stored.id}.pdf"
    response = client.get(url)
    assert response.status_code == 200 and response.get_data() == real_pdf()
    assert response.headers["X-Act-SHA256"] == stored.sha256 and "attachment" in response.headers["Content-Disposition"]
    db.session.execute(db.update(SignatureAct).where(SignatureAct.id == stored.id)
                       .values(pdf=real_pdf().replace(b"DEL-", b"DEX-", 1) + b"\n"))
    db.session.commit()
    result = runner.invoke(args=["cop", "roadmap", "verify"])
    assert result.exit_code != 0 and f"id {stored.id}" in result.output and stored.sha256 in result.output
    assert client.get(url).status_code == 422


def test_an_act_is_served_only_with_its_own_version(make, client, pango):
    s, version = requiring(make)
    signatures.sign(s.heads[0], version, s.parties[0], version.sha256, password=PASSWORD, act=act())
    db.session.commit()
    stored = db.session.scalar(db.select(SignatureAct))
    assert client.get(f"/cop/{s.conference.id}/feuille-de-route/v{version.number}/actes/{stored.id + 1}.pdf"
                      ).status_code == 404
    assert client.get(f"/cop/{s.conference.id + 1}/feuille-de-route/v{version.number}/actes/{stored.id}.pdf"
                      ).status_code == 404


def _form(version, **extra):
    data = {"sha256": version.sha256, "password": PASSWORD, "act_kind": "deliberation", "act_number": "DEL-2027-042",
            "act_date": (date.today() - timedelta(days=3)).isoformat(), "act_body": "Conseil communautaire"}
    data.update(extra)
    return data


def test_sign_by_form_with_the_act(make, client, auth, pango):
    s, version = requiring(make)
    auth.login(s.heads[0].email)
    url = f"/cop/{s.conference.id}/feuille-de-route"
    page = client.get(url).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'type="password"' in page and "exigé par le règlement" in page
    response = client.post(f"{url}/v1/signer", data={"sha256": version.sha256, "password": PASSWORD},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "exige l’acte" in response.get_data(as_text=True)
    response = client.post(f"{url}/v1/signer", data=_form(version), content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Joignez le PDF" in body, re.findall(r"flash-error[^<]*", body)
    response = client.post(f"{url}/v1/signer", content_type="multipart/form-data",
                           data=_form(version, act_pdf=(io.BytesIO(b"MZ\x90\x00 evil.exe"), "acte.pdf",
                                                        "application/pdf")))
    assert response.status_code == 422 and "n’est pas un PDF" in response.get_data(as_text=True)
    response = client.post(f"{url}/v1/signer", content_type="multipart/form-data",
                           data=_form(version, password="faux", act_pdf=(io.BytesIO(real_pdf()), "acte.pdf",
                                                                         "application/pdf")))
    assert response.status_code == 403 and "Mot de passe incorrect" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ThrottleHit.id))) == 3  # the failure was kept
    response = client.post(f"{url}/v1/signer", content_type="multipart/form-data",
                           data=_form(version, act_pdf=(io.BytesIO(real_pdf()), "acte.pdf", "application/pdf")))
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 1
    auth.logout()
    page = client.get(url).get_data(as_text=True)
    stored = db.session.scalar(db.select(SignatureAct))
    assert stored.sha256 in page and "DEL-2027-042" in page and f"/actes/{stored.id}.pdf" in page
    published = client.get("/opendata/signatures.json").get_json()
    assert [(r["act_kind"], r["act_number"], r["act_sha256"]) for r in published] == [
        ("deliberation", "DEL-2027-042", stored.sha256)]
    client.get("/langue/en")
    english = client.get(url).get_data(as_text=True)
    assert "Deliberation" in english and stored.sha256 in english
