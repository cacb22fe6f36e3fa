"""The pages a public body must publish: legal notice, privacy, accessibility statement (RGAA); and the favicon.

Each deployment writes its own text as Markdown files in COP_LEGAL_DIR (mentions-legales.md, confidentialite.md,
accessibilite.md); without them the pages say what the platform itself does, and name what the operator has not
filled in."""
from pathlib import Path
from typing import Optional

from flask import current_app, render_template, send_from_directory

from cop.core import bp
from cop.markdown import render

PAGES = {"mentions-legales": "legal/notice.html", "confidentialite": "legal/privacy.html",
         "accessibilite": "legal/accessibility.html"}


def deployment_text(slug: str) -> Optional[str]:
    """The deployment's own Markdown for the page, if it wrote one."""
    folder = current_app.config.get("COP_LEGAL_DIR")
    if not folder:
        return None
    path = Path(folder) / f"{slug}.md"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _page(slug: str):
    """The deployment's text, else the platform's own."""
    own = deployment_text(slug)
    return render_template(PAGES[slug], own=render(own) if own is not None else None)


@bp.get("/mentions-legales")
def legal_notice():
    """Legal notice: publisher, host, licence of the data."""
    return _page("mentions-legales")


@bp.get("/confidentialite")
def privacy():
    """Personal data: what is kept, why, for how long, the reader's rights."""
    return _page("confidentialite")


@bp.get("/accessibilite")
def accessibility():
    """Accessibility statement (RGAA 4.1)."""
    return _page("accessibilite")


@bp.get("/favicon.ico")
def favicon():
    """The icon browsers ask for on every page."""
    response = send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon")
    response.cache_control.max_age = 7 * 24 * 3600
    response.cache_control.public = True
    return response
