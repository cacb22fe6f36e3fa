"""The citizens' pages: home, « Mon territoire », a COP, a filière across the region, search."""
from collections import namedtuple

from flask import abort, redirect, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy.orm import contains_eager, joinedload

from cop.commitments import chart_html, charts, synthesis
from cop.commitments.models import Commitment
from cop.commitments.queries import public_commitments
from cop.conferences import party_search
from cop.conferences.models import PHASES, Conference
from cop.conferences.party_search import PartyFilters
from cop.db import db
from cop.extensions import select_locale
from cop.fairshare import compare as fair_compare
from cop.loaders import get_conference
from cop.pagination import ListPage, page_arg
from cop.public import bp, labels, parts, places, queries, regionmap, search as fulltext
from cop.public.cache import published
from cop.public.paging import id_arg
from cop.reference.models import Sector
from cop.territories.models import TERRITORY_KINDS, Territory


@bp.context_processor
def portal_labels() -> dict:
    """Labels the portal's templates need."""
    return labels.ALL


@published
def home():
    """The home page (routed as core.index): the COPs by region, as a map and as a list, with phase and figures."""
    regions = queries.regions_with_conferences()
    conferences = [conference for _, listed in regions for conference in listed]
    return render_template("public/home.html", regions=regions, heads=_headlines([c.id for c in conferences]),
                           region_map=_region_map(regions, conferences))


def _headlines(conference_ids: list[int]) -> dict:
    """Each COP's headline figures, kept per COP under its "filing:<id>" (what they count: its parties, their
    populations, its published commitments): after an acceptance, only that COP's are counted again."""
    def build(keys: list[tuple]) -> dict:
        found = queries.headlines([key[1] for key in keys])
        return {key: found.get(key[1]) for key in keys}

    own = {("headline", conference_id): f"filing:{conference_id}" for conference_id in conference_ids}
    kept = parts.many(own, ("filing:?",), ("headlines",), build)
    return {key[1]: head for key, head in kept.items() if head is not None}


def _region_map(regions: list, conferences: list[Conference]) -> Markup:
    """The map of the regions (HTML), kept until a COP's own row changes (its title, phase or region: under
    "filing:<id>:?", which an acceptance does not renew) or a COP is added or removed (its key)."""
    def build() -> Markup:
        html = render_template("public/_region_map.html", regions=regions, outlines=regionmap.outlines(),
                               insets=regionmap.insets())
        return Markup(html)  # nosec B704  (autoescaped template output)

    key = ("region-map", select_locale(), tuple(sorted(conference.id for conference in conferences)))
    return parts.part(key, ("filing:?", *(f"filing:{conference.id}:?" for conference in conferences)), build)


@bp.get("/mon-territoire")
@published
def find_territory():
    """Type a town or a postcode; land on the intercommunality when the answer is unambiguous."""
    text = request.args.get("q", "").strip()
    if not text:
        return render_template("public/find_territory.html", query="", result=None, page=None)
    result = places.lookup(text)
    epci = result.single_epci
    if epci is not None:
        return redirect(url_for("public.territory", kind="epci", code=epci.code))
    page = ListPage(result.communes + result.epcis, page_arg(), per_page=20)
    return render_template("public/find_territory.html", query=text, result=result, page=page)


@bp.get("/portail/territoires/<kind>/<code>")
@published(reads=("speaking",))
def territory(kind: str, code: str):
    """What a territory committed to, in every COP it is a party of, with the history of each commitment."""
    if kind not in TERRITORY_KINDS:
        abort(404)
    item = db.session.scalar(db.select(Territory).filter_by(kind=kind, code=code))
    if item is None:
        abort(404)
    parties = queries.territory_parties(item)
    party_ids = [party.id for party in parties]
    page = queries.public_commitments_of(party_ids, page_arg())
    return render_template("public/territory.html", territory=item, parties=parties, page=page,
                           priorities=queries.priorities_of(party_ids),
                           shares={party.id: fair_compare.for_party(party, _share_table(party.conference))
                                   for party in parties},
                           speaking=queries.speaking_record(party_ids),
                           signatures=queries.signatures_of(party_ids),
                           progress=queries.progress_of(party_ids, page_arg("rapports")))


def _share_table(conference: Conference) -> fair_compare.ShareTable:
    """A COP's indicative shares, kept until its targets, parties or sharing method change ("shares:<id>"): an
    acceptance leaves them in place, so a territory's page rebuilt after it only reads its own pledges."""
    return parts.part(("fair-shares", conference.id), parts.shares_scopes(conference.id),
                      lambda: fair_compare.share_table(conference))


@bp.get("/portail/cop/<int:conference_id>")
@published
def conference(conference_id: int):
    """A COP for citizens: phase, calendar, headline figures, the synthesis and its charts, who filed, meetings."""
    # Its region's name and population and its identity (the page's colours and logo) in the same statement.
    item = get_conference(conference_id, (joinedload(Conference.region), joinedload(Conference.identity_row)))
    synthesis_html = _synthesis_section(item)
    coverage, head, filed = queries.conference_figures(item)
    filters = PartyFilters.from_args(request.args)
    filters.accreditation = ""  # citizens filter by name, kind, département and filing
    kept = _kept_sections(item)
    return render_template(
        "public/conference.html", conference=item, phases=PHASES, synthesis_html=synthesis_html, coverage=coverage,
        head=head, parties=queries.parties_page(item, page_arg(), filters=filters, parties=coverage["parties"]),
        party_filters_set=filters, departements=kept["departements"], filed=filed, outcomes_html=kept["outcomes"])


#: A département as the parties' filter shows it (a plain value a part may keep, not a row).
Departement = namedtuple("Departement", "code name")


def _kept_sections(item: Conference) -> dict:
    """The parts of a COP page that an acceptance does not change, read with one stamp query: its public meetings,
    decisions and adopted roadmap (HTML, kept under "outcomes:<id>": a vote closing rebuilds them, an acceptance
    does not), and its region's départements for the parties' filter (reference data, under "global").

    The meetings' and decisions' lists carry page links that keep the other query arguments: with a query string,
    the section is built for this request only, not kept (so that varied query strings cannot push out the parts
    every reader shares)."""
    def outcomes() -> Markup:
        html = render_template("public/_conference_outcomes.html", conference=item,
                               meetings=queries.public_meetings(item.id, page_arg("seances")),
                               decisions=queries.decisions_page(item.id, page_arg("decisions")),
                               roadmap=queries.adopted_roadmap(item.id))
        return Markup(html)  # nosec B704  (autoescaped template output)

    def departements() -> list[Departement]:
        return [Departement(row.code, row.name) for row in party_search.departements(item)]

    kept_outcomes = ("cop-outcomes", item.id, select_locale())
    wanted = {("departements", item.region_id): ((), departements)}
    if not request.query_string:
        wanted[kept_outcomes] = (parts.outcomes_scopes(item.id), outcomes)
    found = parts.several(wanted)
    return {"departements": found[("departements", item.region_id)],
            "outcomes": found[kept_outcomes] if kept_outcomes in found else outcomes()}


def _synthesis_section(item: Conference) -> Markup:
    """The synthesis charts and table (HTML).

    Each filière's chart and lines are a part of their own, rebuilt only when that filière's filing data changes
    in this COP ("filing:<id>:<sector id>"): after an acceptance, one filière is recomputed and rendered, not all.
    """
    locale = select_locale()
    sectors = db.session.scalars(db.select(Sector).order_by(Sector.position, Sector.id)).all()  # once for the page
    own = {("cop-synthesis", item.id, sector.id, locale): f"filing:{item.id}:{sector.id}" for sector in sectors}

    def build(keys: list[tuple]) -> dict:
        wanted = {key[2] for key in keys}
        rows = synthesis.rows_of(item, next(iter(wanted)) if len(wanted) == 1 else None, sectors=sectors)
        # Each line's figures are written once, for its bar, the chart's description and the table.
        drawn = {chart.sector.id: chart for chart in charts.by_sector(rows)}
        built = {}
        for key in keys:
            chart = drawn.get(key[2])
            if chart is None:  # neither a target nor a pledge in this filière
                built[key] = (Markup(""), Markup(""))
                continue
            built[key] = (chart_html.figure(chart), chart_html.public_lines([chart], item.id))
        return built

    found = parts.many(own, parts.sector_scopes(item.id), ("cop-synthesis", item.id, locale), build)
    figures = [found[key][0] for key in own if found[key][0]]
    body = Markup("").join(found[key][1] for key in own)
    html = render_template("public/_synthesis_section.html", conference=item, figures=figures, body=body)
    return Markup(html)  # nosec B704  (autoescaped template output)


@bp.get("/portail/cop/<int:conference_id>/filieres/<sector_code>")
@published
def sector(conference_id: int, sector_code: str):
    """One filière across the region: its target, who committed what, the gap."""
    item = get_conference(conference_id)
    found = db.session.scalar(db.select(Sector).filter_by(code=sector_code))
    if found is None:
        abort(404)
    rows = synthesis.rows_of(item, found.id)
    # The party's name comes with each commitment (joined already), the pledges with their versions: no query
    # per line of the table.
    listed = public_commitments(item, sector=found.code).options(contains_eager(Commitment.party))
    page = db.paginate(listed, page=page_arg(), per_page=25, error_out=False)
    return render_template("public/sector.html", conference=item, sector=found, charts=charts.by_sector(rows),
                           page=page,
                           latest=queries.latest_versions([c.id for c in page.items], with_pledges=True))


@bp.get("/recherche")
@published
def search():
    """Full-text search over published commitments and decisions."""
    text = request.args.get("q", "").strip()
    conference_id = id_arg("cop")
    query = fulltext.commitments(text, conference_id) if text else None
    page = db.paginate(query, page=page_arg(), per_page=20, error_out=False) if query is not None else None
    latest = queries.latest_versions([c.id for c in page.items]) if page else {}
    found = fulltext.decisions(text, conference_id) if text else None
    decisions = db.paginate(found, page=page_arg("decisions"), per_page=20, error_out=False) \
        if found is not None else None
    conferences = db.session.scalars(db.select(Conference).order_by(Conference.edition_year.desc(),
                                                                     Conference.title)).all()
    return render_template("public/search.html", query=text, page=page, latest=latest, decisions=decisions,
                           conferences=conferences, conference_id=conference_id)
