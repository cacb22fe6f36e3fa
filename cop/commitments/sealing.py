"""What a commitment's seal hides, and how (the mechanism is cop/seals/).

A party seals a commitment before it files it (what was published cannot be taken back). From then on, every
version it files has its free texts (scope, actions, method, preparation, fairness, contribution, justification),
the purposes of its support requests and its sites (name, commune, hectares) moved into the commitment's vault
at submission, and the seal is drawn again over all of them. What stays public, and counts: the party, the filière,
the pledge lines (indicator, years, values, project share), the funders and amounts. The draft is the party's own
and stays in its columns; a new draft starts from the vault, so the party keeps editing its real text.
"""
from decimal import Decimal

from flask_babel import gettext as _

from cop.commitments.inputs import DraftInput, SiteInput
from cop.commitments.labels import TEXT_FIELDS
from cop.commitments.models import Commitment, CommitmentVersion, Site
from cop.db import db
from cop.seals import operations as seals
from cop.seals.kinds import Kind
from cop.territories.models import Commune


def _hectares(value) -> str:
    return f"{Decimal(value):.2f}"


def version_content(version: CommitmentVersion) -> dict:
    """The hidden part of one version, from its columns."""
    return {"number": version.number, "texts": {name: getattr(version, name) or "" for name in TEXT_FIELDS},
            "supports": [{"position": r.position, "purpose": r.purpose or ""}
                         for r in sorted(version.support_requests, key=lambda r: (r.position, r.id or 0))],
            "sites": [{"position": s.position, "name": s.name, "hectares": _hectares(s.hectares), "kind": s.kind,
                       "status": s.status, "commune": {"code": s.commune.code, "name": s.commune.name}}
                      for s in sorted(version.sites, key=lambda s: (s.position, s.id or 0))]}


def content(commitment: Commitment) -> dict:
    """The hidden part of a commitment as its columns hold it: every filed version's texts and places."""
    return {"versions": [version_content(v) for v in commitment.versions if v.is_public]}


def hide_version(version: CommitmentVersion) -> None:
    """Empty the hidden fields of a filed version (they are in the vault)."""
    for name in TEXT_FIELDS:
        setattr(version, name, "")
    for request in version.support_requests:
        request.purpose = ""
    version.sites.clear()


def hide(commitment: Commitment) -> None:
    """Empty every filed version's hidden fields."""
    for version in commitment.versions:
        if version.is_public:
            hide_version(version)


def restore(commitment: Commitment, hidden: dict) -> None:
    """Put the revealed texts and places back into the versions they came from."""
    by_number = {v.number: v for v in commitment.versions}
    for item in hidden.get("versions", []):
        version = by_number[item["number"]]
        for name, text in item["texts"].items():
            setattr(version, name, text)
        purposes = {s["position"]: s["purpose"] for s in item["supports"]}
        for request in version.support_requests:
            request.purpose = purposes.get(request.position, request.purpose)
        version.sites.clear()
        db.session.flush()
        for site in item["sites"]:
            commune = db.session.scalar(db.select(Commune).filter_by(code=site["commune"]["code"]))
            version.sites.append(Site(position=site["position"], name=site["name"], commune=commune,
                                      hectares=Decimal(site["hectares"]), kind=site["kind"], status=site["status"]))


def seal_submitted(version: CommitmentVersion, actor) -> None:
    """A sealed commitment files a version: its hidden fields join the vault, and the seal is computed again (with
    the same salt: the seals published before remain checkable against the revealed versions)."""
    commitment = version.commitment
    hidden = seals.vault(commitment)
    hidden.setdefault("versions", []).append(version_content(version))
    hide_version(version)
    seals.reseal(commitment, hidden, actor)


def unsealed_snapshot(version: CommitmentVersion, data: DraftInput) -> DraftInput:
    """A new draft copied from a filed version of a sealed commitment: its real texts and places, from the vault
    (for the party's own draft only)."""
    commitment = version.commitment
    if not (commitment.is_hidden and version.is_public):
        return data
    item = next((v for v in seals.vault(commitment).get("versions", []) if v["number"] == version.number), None)
    if item is None:
        return data
    texts = dict(item["texts"])
    if "justification" in data.texts and not data.texts["justification"]:
        texts["justification"] = ""
    supports = [type(s)(s.funder, s.amount, (item["supports"][i]["purpose"] if i < len(item["supports"])
                                             else s.purpose), s.indicators)
                for i, s in enumerate(data.supports)]
    sites = [SiteInput(s["name"], s["commune"]["code"], Decimal(s["hectares"]), s["kind"], s["status"])
             for s in item["sites"]]
    return DraftInput(reference_year=data.reference_year, target_year=data.target_year, texts=texts,
                      pledges=data.pledges, supports=supports, sites=sites, partner_ids=data.partner_ids)


KIND = Kind(code="commitment", slug="engagement", table="commitment", model=Commitment, ref_column="id",
            content=content, vaulted=True, hide=hide, restore=restore,
            history=lambda hidden: [{"versions": hidden["versions"][:n]}
                                    for n in range(len(hidden.get("versions", [])) + 1)],
            unpublished=lambda c: c.id is not None and all(not v.is_public for v in c.versions),
            title=lambda c: _("Engagement de %(party)s · %(sector)s", party=c.party.name, sector=c.sector.name),
            page=lambda c: ("commitments.show", {"conference_id": c.conference_id, "commitment_id": c.id}))
