"""Legal notice, privacy, accessibility statement (linked from every page, set per deployment) and the favicon."""
import pytest


@pytest.mark.parametrize("path, heading", [("/mentions-legales", "Mentions légales"),
                                           ("/confidentialite", "Données personnelles"),
                                           ("/accessibilite", "Déclaration d’accessibilité")])
def test_default_pages_say_what_the_platform_does_and_what_the_operator_left_out(client, path, heading):
    html = client.get(path).get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in html and "non renseigné par l’exploitant" in html
    home = client.get("/").get_data(as_text=True)
    assert f'href="{path}"' in home and "Accessibilité : non conforme" in home


def test_deployment_facts_and_texts_replace_the_defaults(app, client, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "COP_LEGAL_PUBLISHER", "Région Auvergne-Rhône-Alpes")
    monkeypatch.setitem(app.config, "COP_LEGAL_HOST", "Hébergeur SAS, Lyon")
    html = client.get("/mentions-legales").get_data(as_text=True)
    assert "Région Auvergne-Rhône-Alpes" in html and "Hébergeur SAS, Lyon" in html
    (tmp_path / "accessibilite.md").write_text("## Audit\n\nPartiellement conforme (72 %).\n<script>alert(1)</script>",
                                              encoding="utf-8")
    monkeypatch.setitem(app.config, "COP_LEGAL_DIR", str(tmp_path))
    html = client.get("/accessibilite").get_data(as_text=True)
    assert "Partiellement conforme (72 %)" in html and "<script>alert(1)" not in html
    assert "n’a pas encore fait l’objet d’un audit" not in html
    assert "non renseigné" in client.get("/confidentialite").get_data(as_text=True)  # no file: the default


def test_favicon_is_served_on_every_page(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/vnd.microsoft.icon"
    assert response.get_data()[:4] == b"\x00\x00\x01\x00"
    assert 'rel="icon"' in client.get("/mentions-legales").get_data(as_text=True)
    assert client.get("/static/favicon.svg").status_code == 200
