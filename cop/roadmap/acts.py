"""The act behind a signature: a council's deliberation or a delegation of signature, its PDF checked and hashed.

The PDF is what the party uploads: it must say it is a PDF (declared type), be one (magic bytes at the start, an
end-of-file marker near the end) and stay under `COP_ACT_MAX_BYTES`. Its bytes are stored with their SHA-256, shown
on the roadmap page and checked again by `cop roadmap verify`; it is served as an attachment, never inline.
"""
import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Optional

from flask import current_app
from flask_babel import lazy_gettext as _l

from cop.db import db
from cop.errors import Invalid
from cop.roadmap.models import Roadmap, RoadmapVersion, Signature, SignatureAct
from cop.rulebook.enums import ActKind

KIND_LABELS = {ActKind.DELIBERATION: _l("Délibération"), ActKind.DELEGATION: _l("Délégation de signature")}
PDF_TYPES = ("application/pdf", "application/x-pdf")
MAGIC = b"%PDF-"
#: The end-of-file marker must lie within the last bytes (writers may append a newline or a little padding).
EOF_WINDOW = 1024
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class ActInput:
    """What the signing form carries about the act."""

    kind: str
    number: str
    adopted_on: Optional[date]
    body: str
    filename: str
    content_type: str
    data: bytes


def max_bytes() -> int:
    """The size cap of an act's PDF."""
    return int(current_app.config["COP_ACT_MAX_BYTES"])


def _check_fields(act: ActInput) -> None:
    """Kind, number, date and body of the act, as a council registers them."""
    if act.kind not in set(ActKind):
        raise Invalid("Choisissez la nature de l’acte : délibération ou délégation de signature.")
    if not act.number.strip() or len(act.number.strip()) > 60:
        raise Invalid("Le numéro de l’acte est obligatoire (60 caractères au plus).")
    if not act.body.strip() or len(act.body.strip()) > 200:
        raise Invalid("L’organe qui a adopté l’acte est obligatoire (200 caractères au plus).")
    if act.adopted_on is None or not date(2000, 1, 1) <= act.adopted_on <= date.today():
        raise Invalid("La date de l’acte est obligatoire et ne peut pas être dans le futur.")


def check_pdf(content_type: str, data: bytes) -> None:
    """Refuse what is not a PDF: declared type, magic bytes, end marker, size."""
    if not data:
        raise Invalid("Joignez le PDF de l’acte.")
    if (content_type or "").split(";")[0].strip().lower() not in PDF_TYPES:
        raise Invalid("L’acte doit être envoyé comme un fichier PDF (type application/pdf).")
    if len(data) > max_bytes():
        raise Invalid("Le PDF de l’acte dépasse %(n)s Ko.", n=max_bytes() // 1024)
    if not data.startswith(MAGIC) or b"%%EOF" not in data[-EOF_WINDOW:]:
        raise Invalid("Ce fichier n’est pas un PDF : son contenu ne commence pas par l’en-tête d’un PDF ou n’en a "
                      "pas la fin.")


def clean(act: ActInput) -> ActInput:
    """The act checked, its texts trimmed and its file name made safe."""
    _check_fields(act)
    check_pdf(act.content_type, act.data)
    name = SAFE_NAME.sub("-", (act.filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip("-.")[:150]
    if not name.lower().endswith(".pdf"):
        name = f"{name or 'acte'}.pdf"
    return ActInput(act.kind, act.number.strip(), act.adopted_on, act.body.strip(), name, "application/pdf",
                    act.data)


def store(signature: Signature, act: ActInput) -> SignatureAct:
    """Keep the act's bytes beside the signature, with their SHA-256."""
    row = SignatureAct(signature_id=signature.id, kind=act.kind, number=act.number, adopted_on=act.adopted_on,
                       body=act.body, filename=act.filename, pdf=act.data, size=len(act.data),
                       sha256=hashlib.sha256(act.data).hexdigest())
    db.session.add(row)
    db.session.flush()
    return row


def stored_bytes(act: SignatureAct) -> bytes:
    """The act's PDF, refused if its bytes no longer match the recorded hash."""
    data = db.session.scalar(db.select(SignatureAct.pdf).filter_by(id=act.id)) or b""
    if hashlib.sha256(data).hexdigest() != act.sha256:
        raise Invalid("Le PDF de cet acte ne correspond plus à son empreinte : il n’est pas servi.")
    return data


def verify_all(conference_id: Optional[int] = None) -> tuple[int, list[str]]:
    """Check every stored act's bytes against its hash; return how many were checked and the problems."""
    query = (db.select(SignatureAct.id, SignatureAct.pdf, SignatureAct.sha256, SignatureAct.number,
                       RoadmapVersion.number, Roadmap.conference_id)
             .join(Signature, Signature.id == SignatureAct.signature_id)
             .join(RoadmapVersion, RoadmapVersion.id == Signature.version_id).join(Roadmap))
    if conference_id is not None:
        query = query.where(Roadmap.conference_id == conference_id)
    checked, problems = 0, []
    for act_id, data, sha256, number, version, conference in db.session.execute(query.order_by(SignatureAct.id)):
        checked += 1
        actual = hashlib.sha256(data or b"").hexdigest()
        if actual != sha256:
            problems.append(f"COP {conference}, version {version} : l’acte n° {number} (id {act_id}) a l’empreinte "
                            f"{actual}, l’empreinte enregistrée {sha256}")
    return checked, problems
