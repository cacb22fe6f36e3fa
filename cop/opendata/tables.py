"""The public tables of the registry: for each, its query (drafts left out) and its Table Schema fields."""
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import Select, and_, case, select

from cop.commitments.models import Commitment, CommitmentVersion, PartyPrioritySector, Pledge, Site, SupportRequest
from cop.conferences.models import Conference, Party, Target
from cop.errors import N_
from cop.fairshare.models import FairShareBasis, FairShareCriterion, FairShareFigure
from cop.funding.models import Funder, FunderBudget, SupportAnswer
from cop.projects.models import Project
from cop.sites.models import RegistrySite, SiteCommitment
from cop.reference.models import Indicator, Sector
from cop.territories.models import Commune, Territory

PUBLIC_VERSION = CommitmentVersion.status != "draft"


@dataclass(frozen=True)
class Table:
    """One downloadable table: name (file name), title, description, query, fields (name, type, description)."""

    name: str
    title: str
    description: str
    query: Callable[[], Select]
    fields: tuple[tuple[str, str, str], ...]
    primary_key: tuple[str, ...] = ("id",)


def _columns(*pairs) -> list:
    """Labelled columns, in the order of the fields."""
    return [column.label(name) for name, column in pairs]


def _public_versions() -> Select:
    """Ids of published versions."""
    return select(CommitmentVersion.id).where(PUBLIC_VERSION)


def _seals() -> Select:
    """Every seal of every COP — projects, commitments, sites — with its salt once revealed (never the content: the
    revealed content is in the object's own table, and hashes with the salt to the seal)."""
    from sqlalchemy import literal, null, union_all

    def rows(kind, model, ref, party, sector):
        hidden = model.revealed_dt.is_(None)
        return select(literal(kind).label("kind"), model.conference_id.label("conference_id"), ref.label("ref"),
                      party.label("party_id"), sector.label("sector_id"), model.seal_reason.label("seal_reason"),
                      model.announce_on.label("announce_on"), model.seal_digest.label("seal_digest"),
                      model.revealed_dt.label("revealed_dt"),
                      case((hidden, None), else_=model.seal_salt).label("seal_salt")).where(model.is_sealed.is_(True))

    seals = union_all(rows("project", Project, Project.number, Project.party_id, Project.sector_id),
                      rows("commitment", Commitment, Commitment.id, Commitment.party_id, Commitment.sector_id),
                      rows("site", RegistrySite, RegistrySite.id, null(), null())).subquery()
    return select(seals).order_by(seals.c.conference_id, seals.c.kind, seals.c.ref)


def _projects() -> Select:
    """The registry; the hidden columns of a sealed project stay NULL until it is revealed (decided in SQL)."""
    hidden = and_(Project.is_sealed.is_(True), Project.revealed_dt.is_(None))

    def public(name, column):
        return case((hidden, None), else_=column).label(name)

    return (select(Project.id, Project.conference_id, Project.number, Project.party_id, Project.sector_id,
                   Project.is_sealed, Project.seal_reason, Project.announce_on, Project.seal_digest,
                   Project.revealed_dt, public("name", Project.name), public("siret", Project.siret),
                   public("commune_code", Commune.code), public("description", Project.description))
            .outerjoin(Commune, Commune.id == Project.commune_id).order_by(Project.id))


REGISTRY = (
    Table("territoires", N_("Territoires"),
          N_("Régions, départements, intercommunalités (EPCI) et établissements publics territoriaux (EPT) "
             "du Grand Paris, avec leur population."),
          lambda: select(Territory.id, Territory.kind, Territory.code, Territory.name, Territory.legal_form,
                         Territory.population, Territory.region_id).order_by(Territory.id),
          (("id", "integer", "Identifiant"), ("kind", "string", "region, departement, epci ou ept"),
           ("code", "string", "Code INSEE (région, département) ou SIREN (EPCI, EPT)"), ("name", "string", "Nom"),
           ("legal_form", "string", "Forme juridique d'un EPCI : CC, CA, CU, METRO ; EPT pour un EPT"),
           ("population", "integer", "Population municipale"), ("region_id", "integer", "Région (id)"))),
    Table("communes", N_("Communes"), N_("Communes actuelles et leur intercommunalité."),
          lambda: select(*_columns(("code", Commune.code), ("name", Commune.name), ("epci_id", Commune.epci_id),
                                   ("departement_code", Commune.departement_code),
                                   ("region_code", Commune.region_code), ("population", Commune.population)))
          .order_by(Commune.code),
          (("code", "string", "Code INSEE"), ("name", "string", "Nom"), ("epci_id", "integer", "EPCI (id)"),
           ("departement_code", "string", "Département"), ("region_code", "string", "Région"),
           ("population", "integer", "Population municipale")), ("code",)),
    Table("filieres", N_("Filières"), N_("Les filières industrielles."),
          lambda: select(Sector.id, Sector.code, Sector.name).order_by(Sector.position),
          (("id", "integer", "Identifiant"), ("code", "string", "Code"), ("name", "string", "Nom"))),
    Table("indicateurs", N_("Indicateurs"), N_("Ce en quoi objectifs et cibles sont comptés."),
          lambda: select(Indicator.id, Indicator.code, Indicator.name, Indicator.unit).order_by(Indicator.position),
          (("id", "integer", "Identifiant"), ("code", "string", "Code"), ("name", "string", "Nom"),
           ("unit", "string", "Unité"))),
    Table("conferences", N_("COP régionales"), N_("Les éditions des COP, leur phase et leur calendrier."),
          lambda: select(Conference.id, Conference.code, Conference.title, Conference.region_id,
                         Conference.edition_year, Conference.phase, Conference.commitments_due_on,
                         Conference.adoption_on, Conference.horizon_year).order_by(Conference.id),
          (("id", "integer", "Identifiant"), ("code", "string", "Référence"), ("title", "string", "Titre"),
           ("region_id", "integer", "Région (id de territoire)"), ("edition_year", "integer", "Édition"),
           ("phase", "string", "Phase"), ("commitments_due_on", "date", "Date limite des engagements"),
           ("adoption_on", "date", "Adoption de la feuille de route"),
           ("horizon_year", "integer", "Dernière année visée"))),
    Table("objectifs", N_("Objectifs régionaux"), N_("Objectif d'une COP par filière, indicateur et année."),
          lambda: select(Target.id, Target.conference_id, Target.sector_id, Target.indicator_id, Target.year,
                         Target.value).order_by(Target.id),
          (("id", "integer", "Identifiant"), ("conference_id", "integer", "COP"), ("sector_id", "integer", "Filière"),
           ("indicator_id", "integer", "Indicateur"), ("year", "integer", "Année"), ("value", "number", "Valeur"))),
    Table("parties", N_("Parties"), N_("Les participants des COP : territoires et organisations."),
          lambda: select(Party.id, Party.conference_id, Party.territory_id, Party.name, Party.kind,
                         Party.accreditation).order_by(Party.id),
          (("id", "integer", "Identifiant"), ("conference_id", "integer", "COP"),
           ("territory_id", "integer", "Territoire (vide pour une organisation)"), ("name", "string", "Nom"),
           ("kind", "string", "Nature"), ("accreditation", "string", "invited, accredited ou suspended"))),
    Table("filieres_prioritaires", N_("Filières prioritaires"),
          N_("Les filières où chaque partie se spécialise, et pourquoi."),
          lambda: select(PartyPrioritySector.id, PartyPrioritySector.party_id, PartyPrioritySector.sector_id,
                         PartyPrioritySector.reason).order_by(PartyPrioritySector.id),
          (("id", "integer", "Identifiant"), ("party_id", "integer", "Partie"), ("sector_id", "integer", "Filière"),
           ("reason", "string", "Raison"))),
    Table("engagements", N_("Engagements"), N_("Les engagements déposés (les brouillons ne sont pas publiés)."),
          lambda: select(Commitment.id, Commitment.conference_id, Commitment.party_id, Commitment.sector_id,
                         Commitment.status, Commitment.withdrawal_reason, Commitment.updated_dt)
          .where(Commitment.status != "draft").order_by(Commitment.id),
          (("id", "integer", "Identifiant"), ("conference_id", "integer", "COP"), ("party_id", "integer", "Partie"),
           ("sector_id", "integer", "Filière"), ("status", "string", "submitted, accepted, returned ou withdrawn"),
           ("withdrawal_reason", "string", "Motif du retrait"), ("updated_dt", "datetime", "Dernière modification"))),
    Table("versions", N_("Versions des engagements"), N_("Chaque version déposée, numérotée, avec ses textes."),
          lambda: select(CommitmentVersion.id, CommitmentVersion.commitment_id, CommitmentVersion.number,
                         CommitmentVersion.status, CommitmentVersion.reference_year, CommitmentVersion.target_year,
                         CommitmentVersion.is_step_back, CommitmentVersion.justification, CommitmentVersion.scope,
                         CommitmentVersion.actions, CommitmentVersion.submitted_dt, CommitmentVersion.reviewed_dt)
          .where(PUBLIC_VERSION).order_by(CommitmentVersion.id),
          (("id", "integer", "Identifiant"), ("commitment_id", "integer", "Engagement"),
           ("number", "integer", "Numéro"), ("status", "string", "État"), ("reference_year", "integer", "Référence"),
           ("target_year", "integer", "Année cible"), ("is_step_back", "boolean", "En recul sur la précédente"),
           ("justification", "string", "Justification du recul"), ("scope", "string", "Périmètre (Markdown)"),
           ("actions", "string", "Actions (Markdown)"), ("submitted_dt", "datetime", "Soumise le"),
           ("reviewed_dt", "datetime", "Examinée le"))),
    Table("cibles", N_("Cibles chiffrées"), N_("Les lignes chiffrées des versions publiées."),
          lambda: select(Pledge.id, Pledge.version_id, Pledge.indicator_id, Pledge.reference_year,
                         Pledge.reference_value, Pledge.target_year, Pledge.unconditional_value,
                         Pledge.conditional_value, Pledge.project_id, Pledge.project_share)
          .where(Pledge.version_id.in_(_public_versions())).order_by(Pledge.id),
          (("id", "integer", "Identifiant"), ("version_id", "integer", "Version"),
           ("indicator_id", "integer", "Indicateur"), ("reference_year", "integer", "Année de référence"),
           ("reference_value", "number", "Valeur de référence"), ("target_year", "integer", "Année cible"),
           ("unconditional_value", "number", "Cible sans condition"),
           ("conditional_value", "number", "Supplément sous condition d'appui"),
           ("project_id", "integer", "Projet du registre (ses valeurs sont alors celles du projet entier)"),
           ("project_share", "number", "Part déclarée du projet, en % : ce que les totaux attribuent à la partie"))),
    Table("projets", N_("Registre des projets"),
          N_("Usines et sites sur lesquels des parties s'engagent, comptés une fois ; un projet confidentiel n'a "
             "que sa filière et son sceau (SHA-256 du JSON canonique de son contenu et d'un sel) "
             "jusqu'à sa révélation."),
          _projects,
          (("id", "integer", "Identifiant"), ("conference_id", "integer", "COP"), ("number", "integer", "Numéro"),
           ("party_id", "integer", "Partie qui l'a inscrit"), ("sector_id", "integer", "Filière"),
           ("is_sealed", "boolean", "Scellé à son inscription"), ("seal_reason", "string", "Motif"),
           ("announce_on", "date", "Date d'annonce prévue"), ("seal_digest", "string", "Sceau SHA-256"),
           ("revealed_dt", "datetime", "Révélé le"), ("name", "string", "Nom (vide tant qu'il est scellé)"),
           ("siret", "string", "SIRET (vide tant qu'il est scellé)"),
           ("commune_code", "string", "Commune (vide tant qu'il est scellé)"),
           ("description", "string", "Description (vide tant qu'il est scellé)"))),
    Table("sceaux", N_("Contenus scellés"),
          N_("Les sceaux des projets, engagements et sites confidentiels : motif, date d'annonce prévue, SHA-256 du "
             "JSON canonique du contenu caché et d'un sel, publié dès le scellement ; le sel à la révélation."),
          _seals,
          (("kind", "string", "project, commitment ou site"), ("conference_id", "integer", "COP (id)"),
           ("ref", "integer", "Numéro du projet, identifiant de l'engagement ou du site"),
           ("party_id", "integer", "Partie détentrice (vide pour un site, tenu par la présidence)"),
           ("sector_id", "integer", "Filière (vide pour un site)"), ("seal_reason", "string", "Motif"),
           ("announce_on", "date", "Date d'annonce prévue"), ("seal_digest", "string", "Sceau SHA-256"),
           ("revealed_dt", "datetime", "Révélé le"), ("seal_salt", "string", "Sel (publié à la révélation)")),
          primary_key=("kind", "conference_id", "ref")),
    Table("demandes_appui", N_("Demandes d'appui"),
          N_("Ce dont dépend la part conditionnelle : financeur, montant, objet."),
          lambda: select(SupportRequest.id, SupportRequest.version_id, SupportRequest.funder, SupportRequest.amount,
                         SupportRequest.purpose).where(SupportRequest.version_id.in_(_public_versions()))
          .order_by(SupportRequest.id),
          (("id", "integer", "Identifiant"), ("version_id", "integer", "Version"), ("funder", "string", "Financeur"),
           ("amount", "number", "Montant (€)"), ("purpose", "string", "Objet"))),
    Table("sites", N_("Sites"), N_("Friches et sites clés en main sur lesquels s'appuient les engagements."),
          lambda: select(Site.id, Site.version_id, Site.name, *_columns(("commune_code", Commune.code)), Site.hectares,
                         Site.kind, Site.status).join(Commune, Commune.id == Site.commune_id)
          .where(Site.version_id.in_(_public_versions())).order_by(Site.id),
          (("id", "integer", "Identifiant"), ("version_id", "integer", "Version"), ("name", "string", "Nom"),
           ("commune_code", "string", "Commune (code INSEE)"), ("hectares", "number", "Surface (ha)"),
           ("kind", "string", "brownfield ou ready_land"), ("status", "string", "État"))),
    Table("sites_cles_en_main", N_("Sites industriels clés en main"),
          N_("Le registre des sites de chaque COP : friches, sites en réhabilitation, prêts ou occupés, avec leurs "
             "caractéristiques pour un investisseur."),
          lambda: select(RegistrySite.id, RegistrySite.conference_id, RegistrySite.name,
                         *_columns(("commune_code", Commune.code)), RegistrySite.departement_code,
                         RegistrySite.hectares, RegistrySite.status, RegistrySite.owner, RegistrySite.available_on,
                         RegistrySite.power_mw, RegistrySite.rail_access, RegistrySite.port_access, RegistrySite.icpe,
                         RegistrySite.land_take_avoided_ha, RegistrySite.is_sealed, RegistrySite.seal_digest)
          .outerjoin(Commune, Commune.id == RegistrySite.commune_id).order_by(RegistrySite.id),
          (("id", "integer", "Identifiant"), ("conference_id", "integer", "COP (id)"), ("name", "string", "Nom"),
           ("commune_code", "string", "Commune (code INSEE)"), ("departement_code", "string", "Département"),
           ("hectares", "number", "Surface (ha)"),
           ("status", "string", "brownfield, rehabilitating, ready ou taken"), ("owner", "string", "Propriétaire"),
           ("available_on", "date", "Disponible à partir du"), ("power_mw", "number", "Puissance disponible (MW)"),
           ("rail_access", "boolean", "Desserte ferroviaire"), ("port_access", "boolean", "Accès portuaire"),
           ("icpe", "string", "Régime ICPE autorisé"),
           ("land_take_avoided_ha", "number", "Artificialisation évitée (ha, compte ZAN)"),
           ("is_sealed", "boolean", "Scellé à son inscription (nom, commune, propriétaire et description vides "
                                    "jusqu'à sa révélation)"),
           ("seal_digest", "string", "Sceau SHA-256 (table sceaux)"))),
    Table("sites_cles_en_main_engagements", N_("Sites clés en main : engagements liés"),
          N_("Les engagements qui réhabilitent (rehabilitates) ou utilisent (uses) un site du registre."),
          lambda: select(SiteCommitment.id, SiteCommitment.site_id, SiteCommitment.commitment_id, SiteCommitment.use)
          .join(Commitment, Commitment.id == SiteCommitment.commitment_id)
          .where(Commitment.status != "draft").order_by(SiteCommitment.id),
          (("id", "integer", "Identifiant"), ("site_id", "integer", "Site (id)"),
           ("commitment_id", "integer", "Engagement (id)"), ("use", "string", "rehabilitates ou uses"))),
    Table("budgets_financeurs", N_("Budgets des financeurs"),
          N_("Ce que chaque financeur d'une COP peut engager par programme et par année."),
          lambda: select(FunderBudget.id, *_columns(("conference_id", Funder.conference_id),
                                                    ("funder", Funder.code), ("party_id", Funder.party_id)),
                         FunderBudget.programme, FunderBudget.year, FunderBudget.amount)
          .join(Funder, Funder.id == FunderBudget.funder_id).order_by(FunderBudget.id),
          (("id", "integer", "Identifiant"), ("conference_id", "integer", "COP (id)"),
           ("funder", "string", "Financeur (state, region, bpifrance, banque_des_territoires, eu, other)"),
           ("party_id", "integer", "Partie qui répond (id)"), ("programme", "string", "Programme"),
           ("year", "integer", "Année"), ("amount", "number", "Montant (€)"))),
    Table("reponses_appui", N_("Réponses aux demandes d'appui"),
          N_("Chaque réponse d'un financeur à une demande d'appui (la plus récente fait foi)."),
          lambda: select(SupportAnswer.id, SupportAnswer.support_request_id, SupportAnswer.budget_id,
                         SupportAnswer.status, SupportAnswer.amount, SupportAnswer.reason, SupportAnswer.answered_on)
          .order_by(SupportAnswer.id),
          (("id", "integer", "Identifiant"), ("support_request_id", "integer", "Demande d'appui (id)"),
           ("budget_id", "integer", "Budget engagé (id)"),
           ("status", "string", "granted, partly_granted, refused ou under_instruction"),
           ("amount", "number", "Montant accordé (€)"), ("reason", "string", "Motif"),
           ("answered_on", "date", "Date de la réponse"))),
    Table("parts_indicatives_methodes", N_("Parts indicatives : méthodes"),
          N_("Chaque version de la méthode de répartition indicative des objectifs (population ou chiffres importés), "
             "avec l'empreinte SHA-256 du fichier source et les critères pondérés."),
          lambda: select(FairShareBasis.id, FairShareBasis.conference_id, FairShareBasis.number,
                         FairShareBasis.method, FairShareBasis.note, FairShareBasis.source_sha256,
                         FairShareBasis.created_dt).order_by(FairShareBasis.id),
          (("id", "integer", "Identifiant"), ("conference_id", "integer", "COP (id)"),
           ("number", "integer", "Version"), ("method", "string", "population ou figures"),
           ("note", "string", "Justification"), ("source_sha256", "string", "SHA-256 du fichier importé"),
           ("created_dt", "datetime", "Mise en vigueur"))),
    Table("parts_indicatives_chiffres", N_("Parts indicatives : chiffres"),
          N_("Les chiffres par intercommunalité de chaque critère pondéré d'une méthode."),
          lambda: select(FairShareFigure.id, *_columns(("basis_id", FairShareCriterion.basis_id),
                                                       ("criterion", FairShareCriterion.name),
                                                       ("weight", FairShareCriterion.weight),
                                                       ("siren", Territory.code)), FairShareFigure.value)
          .join(FairShareCriterion, FairShareCriterion.id == FairShareFigure.criterion_id)
          .join(Territory, Territory.id == FairShareFigure.territory_id).order_by(FairShareFigure.id),
          (("id", "integer", "Identifiant"), ("basis_id", "integer", "Méthode (id)"),
           ("criterion", "string", "Critère"), ("weight", "number", "Poids du critère"),
           ("siren", "string", "SIREN de l'intercommunalité"), ("value", "number", "Chiffre"))),
)

