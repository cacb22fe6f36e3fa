"""The place search's answers (arrondissement, EPT beside the Métropole, closest spellings) and the filtered party
lists, in Chromium at 1366 and 390 px, in French and English: axe finds no serious or critical violation, nothing is
wider than a phone, and the party filter works from the keyboard without JavaScript."""
import os

import pytest

from cop.db import db
from cop.territories.models import Arrondissement, Commune
from tests import factories
from tests.browser.test_accessibility import site, violations  # noqa: F401  (the fixture)

SHOTS = os.environ.get("COP_SCREENSHOTS")


@pytest.fixture
def places(site):  # noqa: F811
    """The portal's dataset, plus an EPT of the Grand Paris with Saint-Denis and an arrondissement of Lyon."""
    base, data = site
    region = data.conference.region
    metropole = factories.territory(code="200054781", name="Métropole du Grand Paris", population=7_000_000,
                                    region=region, legal_form="METRO")
    ept = factories.territory(kind="ept", code="200057867", name="Plaine Commune", population=450_000,
                              region=region, legal_form="EPT")
    saint_denis = factories.commune(metropole, "93066", "Saint-Denis", ("93200",), population=149_000)
    saint_denis.ept_id = ept.id
    lyon = db.session.scalar(db.select(Commune).filter_by(code="69123"))
    db.session.add(Arrondissement(code="69383", name="Lyon 3e Arrondissement", population=100_000, commune_id=lyon.id))
    db.session.commit()
    return base, data, ept


def _urls(data, ept) -> dict[str, str]:
    cop = data.conference.id
    return {
        "saint_denis": "/mon-territoire?q=Saint-Denis", "close_spellings": "/mon-territoire?q=villeurbane",
        "ept_page": f"/portail/territoires/ept/{ept.code}", "ept_sheet": f"/territoires/ept/{ept.code}",
        "cop_parties_filtered": f"/portail/cop/{cop}?kind=epci&filed=yes#parties",
        "cop_parties_none": f"/portail/cop/{cop}?q=zzz#parties",
        "overview_filtered": f"/cop/{cop}?departement=69&q=lyon#parties",
    }


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("locale", ["fr-FR", "en-GB"])
def test_place_answers_and_party_filters_pass_axe_and_fit(places, browser, width, locale):
    base, data, ept = places
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale, bypass_csp=True)
    page = context.new_page()
    if locale.startswith("en"):
        page.goto(base + "/langue/en")
    found, too_wide = {}, {}
    for name, url in _urls(data, ept).items():
        page.goto(base + url)
        assert page.title(), name
        assert page.evaluate("document.documentElement.lang") == locale[:2], name
        problems = violations(page)
        if problems:
            found[name] = problems
        scroll, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        if scroll > inner:
            too_wide[name] = scroll
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}-{locale[:2]}-{width}.png", full_page=True)
    context.close()
    assert not found, found
    assert not too_wide, too_wide


def test_saint_denis_names_its_ept_and_the_party_filter_works_from_the_keyboard(places, browser):
    base, data, ept = places
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "/mon-territoire?q=Saint-Denis")
    assert page.get_by_role("link", name="Plaine Commune").count() == 1
    assert page.get_by_role("link", name="Métropole du Grand Paris").count() == 1
    page.goto(f"{base}/portail/cop/{data.conference.id}")
    field = page.get_by_label("Nom", exact=True)
    field.focus()
    page.keyboard.type("lyon")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=lyon" in page.url and page.url.endswith("#parties")
    rows = page.locator("#parties ~ .table-wrap tbody tr").all_inner_texts()
    assert rows and all("Lyon" in row for row in rows)
    page.get_by_label("Type", exact=True).select_option("state")
    with page.expect_navigation():
        page.get_by_role("button", name="Filtrer").press("Enter")
    assert "Aucune partie ne répond à ces critères." in page.content()
    context.close()
