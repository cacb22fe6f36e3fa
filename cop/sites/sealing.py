"""What a registry site's seal hides, and how (the mechanism is cop/seals/).

The COP's managers keep the registry, so they seal a site, at its registration (a name published cannot be taken
back), and reveal it. Hidden until then: its name, commune, owner and description — what identifies it. Public
and filterable: its département, surface, status, availability, power, rail and port access, ICPE regime and the
land take it avoids (what an investor searches on, and what the totals count) and the commitments it serves.
"""
from flask_babel import gettext as _

from cop.db import db
from cop.seals.kinds import Kind
from cop.sites.models import RegistrySite
from cop.territories.models import Commune


def content(site: RegistrySite) -> dict:
    """The hidden part of a site, from its columns."""
    commune = site.commune or (db.session.get(Commune, site.commune_id) if site.commune_id else None)
    return {"name": site.name, "owner": site.owner or "", "description": site.description or "",
            "commune": {"code": commune.code, "name": commune.name} if commune is not None else None}


def hide(site: RegistrySite) -> None:
    """Empty the identifying fields (they are in the vault); the département stays."""
    site.name, site.owner, site.description = "", "", ""
    site.commune, site.commune_id = None, None


def restore(site: RegistrySite, hidden: dict) -> None:
    """Put the revealed name, commune, owner and description back."""
    site.name, site.owner, site.description = hidden["name"], hidden["owner"], hidden["description"]
    code = (hidden.get("commune") or {}).get("code")
    commune = db.session.scalar(db.select(Commune).filter_by(code=code)) if code else None
    site.commune, site.commune_id = commune, commune.id if commune is not None else None


def title(site: RegistrySite) -> str:
    """How the public names a site: its name, or its number while it is sealed."""
    if site.is_hidden:
        return _("Site confidentiel n° %(n)s", n=site.id)
    return site.name


KIND = Kind(code="site", slug="site", table="registry_site", model=RegistrySite, ref_column="id",
            content=content, vaulted=True, hide=hide, restore=restore,
            unpublished=lambda s: s.id is None or s in db.session.new, title=title,
            page=lambda s: ("sites.show", {"conference_id": s.conference_id, "site_id": s.id}))
