"""The public tables of what meetings produce: public meetings, decisions, adopted roadmap versions, signatures,
progress reports."""
from sqlalchemy import select

from cop.errors import N_
from cop.followup.models import ProgressReport
from cop.meetings.models import Meeting
from cop.negotiation.decisions.models import Decision
from cop.opendata.tables import Table
from cop.roadmap.models import FROZEN_STATES, Roadmap, RoadmapVersion, Signature


def _frozen_versions():
    """Ids of adopted (or superseded) roadmap versions: drafts and submissions are not published."""
    return select(RoadmapVersion.id).where(RoadmapVersion.state.in_(FROZEN_STATES))


OUTCOMES = (
    Table("seances", N_("Séances publiques"), N_("Les séances ouvertes au public."),
          lambda: select(Meeting.id, Meeting.conference_id, Meeting.kind, Meeting.title, Meeting.starts_dt,
                         Meeting.state).where(Meeting.is_public).order_by(Meeting.id),
          (("id", "integer", "Identifiant"), ("conference_id", "integer", "COP"), ("kind", "string", "Nature"),
           ("title", "string", "Titre"), ("starts_dt", "datetime", "Début"), ("state", "string", "État"))),
    Table("decisions", N_("Décisions"),
          N_("Les décisions des séances : adoptées (consensus ou vote) ou « prend acte »."),
          lambda: select(Decision.id, Decision.conference_id, Decision.number, Decision.meeting_id, Decision.mode,
                         Decision.outcome, Decision.text, Decision.created_dt).order_by(Decision.id),
          (("id", "integer", "Identifiant"), ("conference_id", "integer", "COP"), ("number", "integer", "Numéro"),
           ("meeting_id", "integer", "Séance"), ("mode", "string", "consensus, vote ou taken_note"),
           ("outcome", "string", "adopted ou noted"), ("text", "string", "Texte décidé (Markdown)"),
           ("created_dt", "datetime", "Date"))),
    Table("feuilles_de_route", N_("Versions adoptées des feuilles de route"),
          N_("Chaque version adoptée, figée, avec l'empreinte SHA-256 de son JSON canonique."),
          lambda: select(RoadmapVersion.id, Roadmap.conference_id, RoadmapVersion.number, RoadmapVersion.state,
                         RoadmapVersion.decision_reference, RoadmapVersion.adopted_dt, RoadmapVersion.sha256,
                         RoadmapVersion.superseded_dt).join(Roadmap, Roadmap.id == RoadmapVersion.roadmap_id)
          .where(RoadmapVersion.state.in_(FROZEN_STATES)).order_by(RoadmapVersion.id),
          (("id", "integer", "Identifiant"), ("conference_id", "integer", "COP"), ("number", "integer", "Numéro"),
           ("state", "string", "adopted ou superseded"), ("decision_reference", "string", "Décision d'adoption"),
           ("adopted_dt", "datetime", "Adoptée le"), ("sha256", "string", "Empreinte SHA-256"),
           ("superseded_dt", "datetime", "Remplacée le"))),
    Table("signatures", N_("Signatures"), N_("La signature de chaque partie sur l'empreinte d'une version adoptée."),
          lambda: select(Signature.id, Signature.version_id, Signature.party_id, Signature.sha256, Signature.signed_dt)
          .where(Signature.version_id.in_(_frozen_versions())).order_by(Signature.id),
          (("id", "integer", "Identifiant"), ("version_id", "integer", "Version de la feuille de route"),
           ("party_id", "integer", "Partie"), ("sha256", "string", "Empreinte signée"),
           ("signed_dt", "datetime", "Signée le"))),
    Table("rapports_avancement", N_("Rapports d'avancement"),
          N_("Ce que chaque partie déclare avoir atteint, par cible et par an."),
          lambda: select(ProgressReport.id, ProgressReport.conference_id, ProgressReport.party_id,
                         ProgressReport.commitment_id, ProgressReport.pledge_id, ProgressReport.year,
                         ProgressReport.achieved_value, ProgressReport.evidence_url, ProgressReport.state)
          .order_by(ProgressReport.id),
          (("id", "integer", "Identifiant"), ("conference_id", "integer", "COP"), ("party_id", "integer", "Partie"),
           ("commitment_id", "integer", "Engagement"), ("pledge_id", "integer", "Cible"), ("year", "integer", "Année"),
           ("achieved_value", "number", "Valeur atteinte"), ("evidence_url", "string", "Justificatif"),
           ("state", "string", "submitted, accepted ou questioned"))),
)
