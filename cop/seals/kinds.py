"""The three kinds of sealed objects, and what differs between them: what is hidden, how it is emptied and put
back, how the public names the object while it is sealed. Everything else (the seal, the rules, the reveal, the
reads, the verification) is the same code for the three (cop/seals/operations.py)."""
from dataclasses import dataclass
from typing import Callable, Optional

from flask import url_for


@dataclass(frozen=True)
class Kind:
    """How one kind of object is sealed."""

    #: "project", "commitment" or "site": the prefix of its audit actions and its key in the open data.
    code: str
    #: Its word in the URLs of the seal pages (/cop/<id>/sceaux/<slug>/<ref>).
    slug: str
    #: The table the audit chain names.
    table: str
    #: The model class (imported lazily).
    model: type
    #: The column the public reference is (a project's number, a commitment's or a site's id).
    ref_column: str
    #: The hidden content as its own columns hold it (for a vaulted kind: only once revealed).
    content: Callable
    #: Whether the hidden fields are emptied in their columns while sealed (the content waiting in seal_vault).
    vaulted: bool
    #: Empty the hidden fields (vaulted kinds); put the revealed content back.
    hide: Optional[Callable] = None
    restore: Optional[Callable] = None
    #: Still unpublished, so it may be sealed (content already published cannot be taken back).
    unpublished: Callable = lambda obj: False
    #: The public title of the object, never its hidden content (translated).
    title: Callable = lambda obj: ""
    #: Every content the object's seal has covered, oldest first (a commitment's grows with each filed version; the
    #: salt stays, so each earlier seal a roadmap published is recomputable once the content is revealed).
    history: Callable = lambda hidden: [hidden]
    #: The endpoint and arguments of the object's own page.
    page: Callable = lambda obj: ("", {})

    def ref(self, obj) -> int:
        """The public reference of the object in its COP."""
        return getattr(obj, self.ref_column)

    def url(self, obj) -> str:
        """The object's own page."""
        endpoint, args = self.page(obj)
        return url_for(endpoint, **args)


_KINDS: dict[str, Kind] = {}


def _load() -> dict[str, Kind]:
    """The kinds, built on first use (each feature's adapter imports its models)."""
    if not _KINDS:
        from cop.commitments.sealing import KIND as commitment
        from cop.projects.seal import KIND as project
        from cop.sites.sealing import KIND as site

        _KINDS.update({k.code: k for k in (project, commitment, site)})
    return _KINDS


def all_kinds() -> list[Kind]:
    """Projects, commitments, sites."""
    return list(_load().values())


def by_code(code: str) -> Optional[Kind]:
    """A kind by its code."""
    return _load().get(code)


def by_slug(slug: str) -> Optional[Kind]:
    """A kind by its word in a URL."""
    return next((k for k in _load().values() if k.slug == slug), None)


def of(obj) -> Kind:
    """The kind of a sealable object."""
    return next(k for k in _load().values() if isinstance(obj, k.model))
