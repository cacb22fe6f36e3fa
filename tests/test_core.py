"""Health check, home page, security headers, language switch."""
from sqlalchemy import text


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_reports_database_down(app, client, monkeypatch):
    from cop.db import db

    def broken(*args, **kwargs):
        raise RuntimeError("database unreachable")

    with app.test_request_context():
        monkeypatch.setattr(db.session, "execute", broken, raising=False)
        response = client.get("/healthz")
    monkeypatch.undo()
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_home_lists_conferences(client, make):
    from cop.db import db

    make.conference(title="COP industrielle Bretagne 2027", region_territory=make.region("53", "Bretagne"))
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "COP industrielle Bretagne 2027" in page
    assert 'lang="fr"' in page
    assert 'href="#contenu"' in page


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


def test_language_switch_to_english_and_back(client):
    response = client.get("/langue/en?next=/cop/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/cop/")
    assert 'lang="en"' in client.get("/").get_data(as_text=True)
    client.get("/langue/fr")
    assert 'lang="fr"' in client.get("/").get_data(as_text=True)


def test_language_switch_refuses_open_redirect(client):
    response = client.get("/langue/en?next=https://evil.example/")
    assert response.headers["Location"] == "/"


def test_unknown_page_is_french_404(client):
    response = client.get("/nulle-part")
    assert response.status_code == 404
    assert "Cette page n&#39;existe pas." in response.get_data(as_text=True)


def test_api_404_is_json(client):
    response = client.get("/api/v1/rien")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404


def test_sqlite_uses_wal(app):
    from cop.db import db

    if db.engine.dialect.name != "sqlite":
        return
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
