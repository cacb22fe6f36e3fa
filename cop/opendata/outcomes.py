"""The public tables of what meetings produce: public meetings, decisions, adopted roadmap versions, signatures,
progress reports."""
from sqlalchemy import select

from cop.contracts.models import Contract, ContractMilestone, ContractSignature, ContractSignatureAct, Disbursement
from cop.errors import N_
from cop.followup.models import ProgressReport
from cop.meetings.models import Meeting
from cop.negotiation.decisions.models import Decision
from cop.opendata.tables import Table
from cop.reference.models import Sector
from cop.roadmap.models import FROZEN_STATES, Roadmap, RoadmapAmendment, RoadmapVersion, Signature, SignatureAct


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
          N_("Chaque version adoptée, figée, avec l'empreinte SHA-256 de son JSON canonique ; une version adoptée "
             "par modification nomme l'empreinte de la version qu'elle modifie (la chaîne des versions)."),
          lambda: select(RoadmapVersion.id, Roadmap.conference_id, RoadmapVersion.number, RoadmapVersion.state,
                         RoadmapVersion.decision_reference, RoadmapVersion.adopted_dt, RoadmapVersion.sha256,
                         RoadmapVersion.previous_sha256, RoadmapVersion.superseded_dt)
          .join(Roadmap, Roadmap.id == RoadmapVersion.roadmap_id)
          .where(RoadmapVersion.state.in_(FROZEN_STATES)).order_by(RoadmapVersion.id),
          (("id", "integer", "Identifiant"), ("conference_id", "integer", "COP"), ("number", "integer", "Numéro"),
           ("state", "string", "adopted ou superseded"), ("decision_reference", "string", "Décision d'adoption"),
           ("adopted_dt", "datetime", "Adoptée le"), ("sha256", "string", "Empreinte SHA-256"),
           ("previous_sha256", "string", "Empreinte de la version modifiée (vide pour une version non issue d'une "
                                         "modification)"),
           ("superseded_dt", "datetime", "Remplacée le"))),
    Table("signatures", N_("Signatures"),
          N_("La signature de chaque partie sur l'empreinte d'une version adoptée, avec l'acte qui l'autorise "
             "(délibération ou délégation de signature) et l'empreinte SHA-256 de son PDF."),
          lambda: select(Signature.id, Signature.version_id, Signature.party_id, Signature.sha256, Signature.signed_dt,
                         SignatureAct.kind.label("act_kind"), SignatureAct.number.label("act_number"),
                         SignatureAct.adopted_on.label("act_date"), SignatureAct.body.label("act_body"),
                         SignatureAct.sha256.label("act_sha256"))
          .outerjoin(SignatureAct, SignatureAct.signature_id == Signature.id)
          .where(Signature.version_id.in_(_frozen_versions())).order_by(Signature.id),
          (("id", "integer", "Identifiant"), ("version_id", "integer", "Version de la feuille de route"),
           ("party_id", "integer", "Partie"), ("sha256", "string", "Empreinte signée"),
           ("signed_dt", "datetime", "Signée le"), ("act_kind", "string", "deliberation ou delegation"),
           ("act_number", "string", "Numéro de l'acte"), ("act_date", "date", "Date de l'acte"),
           ("act_body", "string", "Organe qui a adopté l'acte"),
           ("act_sha256", "string", "Empreinte SHA-256 du PDF de l'acte"))),
    Table("modifications_feuille_de_route", N_("Demandes de modification des feuilles de route"),
          N_("Chaque demande d'une partie de baisser une cible signée, son motif, la séance qui en décide et la "
             "version qu'elle a produite si elle a été adoptée."),
          lambda: select(RoadmapAmendment.id, RoadmapAmendment.conference_id, RoadmapAmendment.party_id,
                         RoadmapAmendment.commitment_id, RoadmapAmendment.reason_kind, RoadmapAmendment.reason,
                         RoadmapAmendment.state, RoadmapAmendment.requested_dt, RoadmapAmendment.decision_id,
                         RoadmapAmendment.result_version_id).order_by(RoadmapAmendment.id),
          (("id", "integer", "Identifiant"), ("conference_id", "integer", "COP"), ("party_id", "integer", "Partie"),
           ("commitment_id", "integer", "Engagement"),
           ("reason_kind", "string", "closure, force_majeure, project_abandoned ou other"),
           ("reason", "string", "Explication de la partie"), ("state", "string", "requested, adopted ou rejected"),
           ("requested_dt", "datetime", "Demandée le"), ("decision_id", "integer", "Décision de la séance"),
           ("result_version_id", "integer", "Version de la feuille de route adoptée par la modification"))),
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
    Table("contrats", N_("Contrats des territoires"),
          N_("Chaque contrat d'un territoire pour une filière (ses cibles, les appuis accordés, ses jalons), figé à "
             "sa génération avec l'empreinte SHA-256 de son JSON canonique."),
          lambda: select(Contract.id, Contract.conference_id, Contract.number, Contract.party_id,
                         Sector.code.label("sector"), Contract.state, Contract.sha256, Contract.generated_dt)
          .join(Sector, Sector.id == Contract.sector_id).order_by(Contract.id),
          (("id", "integer", "Identifiant"), ("conference_id", "integer", "COP"), ("number", "integer", "Numéro"),
           ("party_id", "integer", "Territoire (partie)"), ("sector", "string", "Filière (code)"),
           ("state", "string", "generated ou signed"), ("sha256", "string", "Empreinte SHA-256"),
           ("generated_dt", "datetime", "Généré le"))),
    Table("contrats_jalons", N_("Jalons des contrats"),
          N_("Les jalons de chaque contrat : échéance et montant de l'appui qu'ils libèrent."),
          lambda: select(ContractMilestone.id, ContractMilestone.contract_id, ContractMilestone.position,
                         ContractMilestone.label, ContractMilestone.due_on, ContractMilestone.amount)
          .order_by(ContractMilestone.id),
          (("id", "integer", "Identifiant"), ("contract_id", "integer", "Contrat"), ("position", "integer", "Rang"),
           ("label", "string", "Jalon"), ("due_on", "date", "Échéance"), ("amount", "number", "Montant libéré (€)"))),
    Table("contrats_signatures", N_("Signatures des contrats"),
          N_("La signature du territoire, de la Région et de l'État sur l'empreinte de chaque contrat, avec l'acte "
             "qui l'autorise et l'empreinte SHA-256 de son PDF."),
          lambda: select(ContractSignature.id, ContractSignature.contract_id, ContractSignature.party_id,
                         ContractSignature.role, ContractSignature.sha256, ContractSignature.signed_dt,
                         ContractSignatureAct.kind.label("act_kind"), ContractSignatureAct.number.label("act_number"),
                         ContractSignatureAct.adopted_on.label("act_date"),
                         ContractSignatureAct.sha256.label("act_sha256"))
          .outerjoin(ContractSignatureAct, ContractSignatureAct.signature_id == ContractSignature.id)
          .order_by(ContractSignature.id),
          (("id", "integer", "Identifiant"), ("contract_id", "integer", "Contrat"), ("party_id", "integer", "Partie"),
           ("role", "string", "territory, region ou state"), ("sha256", "string", "Empreinte signée"),
           ("signed_dt", "datetime", "Signé le"), ("act_kind", "string", "deliberation ou delegation"),
           ("act_number", "string", "Numéro de l'acte"), ("act_date", "date", "Date de l'acte"),
           ("act_sha256", "string", "Empreinte SHA-256 du PDF de l'acte"))),
    Table("contrats_versements", N_("Versements des contrats"),
          N_("Les fonds versés au titre de chaque jalon d'un contrat, et la partie qui les a enregistrés."),
          lambda: select(Disbursement.id, ContractMilestone.contract_id, Disbursement.milestone_id,
                         Disbursement.amount, Disbursement.paid_on, Disbursement.party_id)
          .join(ContractMilestone, ContractMilestone.id == Disbursement.milestone_id).order_by(Disbursement.id),
          (("id", "integer", "Identifiant"), ("contract_id", "integer", "Contrat"),
           ("milestone_id", "integer", "Jalon"), ("amount", "number", "Montant versé (€)"),
           ("paid_on", "date", "Versé le"), ("party_id", "integer", "Partie qui l'a enregistré"))),
)
