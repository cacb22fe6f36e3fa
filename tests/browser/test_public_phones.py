"""Every public page type at 390 px (a phone) in Chromium: nothing wider than the screen, the search field usable;
the COP page's charts name their filière."""
from tests.browser.test_accessibility import page_types, site  # noqa: F401  (the fixture and the page list)


def test_public_pages_fit_a_390_px_screen(site, browser):  # noqa: F811
    base, data = site
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    too_wide = {}
    for name, url in page_types(data).items():
        page.goto(base + url)
        width, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        if width > inner:
            too_wide[name] = width
    page.goto(base + "/")
    field = page.locator("form.search-box input[type=search], form.search-box input[type=text]").first.bounding_box()
    context.close()
    assert too_wide == {}
    assert field["width"] >= 200


def test_charts_show_the_name_of_their_filiere(site, browser):  # noqa: F811
    base, data = site
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(f"{base}/portail/cop/{data.conference.id}")
    captions = page.locator("figure.chart figcaption").all_inner_texts()
    context.close()
    assert captions and all(c.startswith("Filière ") for c in captions)
    assert any(data.sectors[0].name in c for c in captions)
