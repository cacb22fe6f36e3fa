"""The sites registry in Chromium: a manager enters a site through the form; the list (filtered, no script needed)
and the site's page pass axe and fit 1366 px and 390 px screens, in French and in English."""
from cop.db import db
from cop.sites.models import RegistrySite
from tests.browser.test_accessibility import violations
from tests.browser.test_fair_shares_pages import site  # noqa: F401  (the served COP)
from tests.factories import PASSWORD


def test_manager_enters_a_site_and_citizens_filter_the_list(site, browser):  # noqa: F811
    base, world = site
    world.commune_a.region_code = world.conference.region.code
    db.session.commit()
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 900}, bypass_csp=True,
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/auth/login")
    page.fill("input[name=email]", world.presidency.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    cop = world.conference.id
    page.goto(f"{base}/cop/{cop}/sites/nouveau")
    page.fill("input[name=name]", "Vallée de la chimie — lot 4")
    page.fill("input[name=commune]", "Lyon")
    page.fill("input[name=hectares]", "18,5")
    page.select_option("select[name=status]", "ready")
    page.fill("input[name=power_mw]", "45")
    page.check("input[name=rail_access]")
    page.get_by_role("button", name="Enregistrer").click()
    assert "inscrit au registre" in page.inner_text("body")
    context.close()
    assert db.session.scalar(db.select(RegistrySite)).power_mw == 45

    found = {}
    for locale in ("fr-FR", "en-GB"):
        for width in (1366, 390):
            context = browser.new_context(locale=locale, viewport={"width": width, "height": 844}, bypass_csp=True)
            page = context.new_page()
            page.goto(f"{base}/cop/{cop}/sites")
            page.check("input[name=statut][value=ready]")
            page.fill("input[name=puissance_min]", "40")
            page.locator("form.filters button[type=submit]").click()
            assert "statut=ready" in page.url and "lot 4" in page.inner_text("main")
            for url in (page.url, f"{base}/cop/{cop}/sites/{db.session.scalar(db.select(RegistrySite.id))}"):
                page.goto(url)
                scroll, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
                problems = violations(page)
                if scroll > inner or problems:
                    found[(locale, width, url)] = (scroll, inner, problems)
            context.close()
    assert found == {}
