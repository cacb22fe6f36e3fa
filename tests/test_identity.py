"""A COP's identity: name, logo, colour and contact on its pages and its roadmap; contrast and uploads checked."""
import io

import pytest
from PIL import Image

from cop import create_app
from cop.config import TestConfig
from cop.db import db
from cop.identity import colours
from cop.identity.models import ConferenceIdentity


def _png(size=(120, 60), colour=(0, 0, 145)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def _cop(make, role="presidency"):
    conference = make.conference()
    user = make.member(conference, role)
    db.session.commit()
    return conference, user


def _post(client, conference, **fields):
    data = {"organisation": "", "colour": "", "contact": "", "logo_alt": ""}
    data.update(fields)
    return client.post(f"/cop/{conference.id}/identite", data=data, content_type="multipart/form-data")


def test_contrast_is_the_wcag_ratio():
    assert colours.contrast("#000000") == pytest.approx(21.0)
    assert colours.contrast("#ffffff") == pytest.approx(1.0)
    assert colours.contrast("#767676") >= 4.5 > colours.contrast("#777777")
    assert colours.contrast("#000091") == pytest.approx(14.91, abs=0.01) and colours.darker("#000091") == "#00006d"


def test_presidency_sets_name_logo_colour_and_contact(make, client, auth):
    conference, user = _cop(make)
    auth.login(user.email)
    response = _post(client, conference, organisation="Région Auvergne-Rhône-Alpes", colour="#6E0E50",
                     contact="cop@auvergnerhonealpes.fr", logo_alt="Logo de la Région",
                     logo=(io.BytesIO(_png()), "logo.png"))
    assert response.status_code == 302
    row = db.session.scalar(db.select(ConferenceIdentity))
    assert row.colour == "#6e0e50" and row.logo_png.startswith(b"\x89PNG") and len(row.logo_key) == 16
    page = client.get(f"/cop/{conference.id}").get_data(as_text=True)
    assert "Région Auvergne-Rhône-Alpes" in page and "cop@auvergnerhonealpes.fr" in page
    assert f"/cop/{conference.id}/identite/logo-{row.logo_key}.png" in page and 'alt="Logo de la Région"' in page
    assert "/identite/6e0e50.css" in page and 'style="' not in page
    logo = client.get(f"/cop/{conference.id}/identite/logo-{row.logo_key}.png")
    assert logo.status_code == 200 and logo.mimetype == "image/png" and "immutable" in logo.headers["Cache-Control"]
    css = client.get("/identite/6e0e50.css")
    assert css.mimetype == "text/css" and "--blue: #6e0e50" in css.get_data(as_text=True)


@pytest.mark.parametrize("fields, message", [
    ({"colour": "#777777"}, "4,5:1"),
    ({"colour": "#ffcc00"}, "plus foncée"),
    ({"colour": "red"}, "#rrvvbb"),
    ({"logo": (io.BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), "l.svg")},
     "SVG"),
    ({"logo": (io.BytesIO(b"<html><script>alert(1)</script></html>"), "logo.png")}, "PNG, JPEG ou WebP"),
    ({"logo": (io.BytesIO(_png((2400, 10))), "huge.png")}, "2000 au plus"),
    ({"logo": (io.BytesIO(b"\x89PNG" + b"0" * 600_000), "heavy.png")}, "512 Ko au plus"),
])
def test_bad_colours_and_hostile_logos_are_refused_and_nothing_is_saved(make, client, auth, fields, message):
    conference, user = _cop(make)
    auth.login(user.email)
    response = _post(client, conference, organisation="Région", **fields)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ConferenceIdentity.id))) == 0


def test_only_the_cop_managers_set_its_identity(make, client, auth):
    conference, _ = _cop(make)
    head = make.member(conference, "head_of_delegation", make.party(conference))
    db.session.commit()
    auth.login(head.email)
    assert _post(client, conference, organisation="Pirate").status_code == 403
    assert client.get(f"/cop/{conference.id}/identite").status_code == 403
    assert db.session.scalar(db.select(db.func.count(ConferenceIdentity.id))) == 0


def test_unknown_logo_keys_and_unreadable_colours_are_not_found(make, client):
    conference, _ = _cop(make)
    assert client.get(f"/cop/{conference.id}/identite/logo-0123456789abcdef.png").status_code == 404
    assert client.get("/identite/777777.css").status_code == 404
    assert client.get("/identite/zzzzzz.css").status_code == 404


def test_deployment_default_fills_the_gaps_and_a_failing_colour_stops_the_start(make, app, client, monkeypatch):
    monkeypatch.setitem(app.config, "COP_IDENTITY_NAME", "Région de démonstration")
    monkeypatch.setitem(app.config, "COP_IDENTITY_CONTACT", "contact@region.example")
    conference, _ = _cop(make)
    page = client.get(f"/cop/{conference.id}").get_data(as_text=True)
    assert "Région de démonstration" in page and "contact@region.example" in page
    bad = type("BadColour", (TestConfig,), {"COP_IDENTITY_COLOUR": "#aaaaaa"})
    with pytest.raises(RuntimeError, match="4,5:1"):
        create_app(bad)

