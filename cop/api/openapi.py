"""GET /api/v1/openapi.json: the OpenAPI 3.1 description of every /api/v1 endpoint."""
from flask import jsonify

from cop.api import bp
from cop.api import openapi_schemas as s


def _ok(schema: dict, description: str) -> dict:
    """A 200 answer with JSON content, an ETag and Cache-Control."""
    return {"description": description, "content": {"application/json": {"schema": schema}},
            "headers": {"ETag": {"schema": {"type": "string"}}, "Cache-Control": {"schema": {"type": "string"}}}}


def _errors(*statuses: int) -> dict:
    """The error answers an operation may give, each a JSON error object."""
    words = {404: "Inconnu", 422: "Paramètre invalide"}
    return {str(code): {"description": words[code], "content": {"application/json": {"schema": s.ref("Error")}}}
            for code in statuses}


def _get(summary: str, parameters: list, schema: dict, *errors: int) -> dict:
    """A read operation."""
    return {"get": {"summary": summary, "parameters": parameters,
                    "responses": {"200": _ok(schema, summary), **_errors(*errors)}}}


def document() -> dict:
    """The whole document."""
    cop_id = s.path_param("conference_id", {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                          "Identifiant de la COP")
    return {
        "openapi": "3.1.0",
        "info": {"title": "COP régionales — API publique", "version": "1.0.0",
                 "description": "Lecture seule, sans compte. Les brouillons ne sont jamais publiés. "
                                "Réponses avec ETag (If-None-Match → 304) et CORS ouvert.",
                 "license": {"name": "Licence Ouverte 2.0", "identifier": "etalab-2.0"}},
        "paths": {
            "/api/v1/openapi.json": _get("Cette description", [], {"type": "object"}),
            "/api/v1/conferences": _get("Les COP", [*s.PAGING, *s.CONFERENCE_FILTERS],
                                        s.page_of(s.ref("Conference")), 422),
            "/api/v1/conferences/{conference_id}": _get("Une COP", [cop_id], s.ref("Conference"), 404),
            "/api/v1/conferences/{conference_id}/commitments": _get(
                "Les engagements déposés d’une COP", [cop_id, *s.PAGING, *s.COMMITMENT_FILTERS],
                s.page_of(s.ref("CommitmentSummary")), 404, 422),
            "/api/v1/conferences/{conference_id}/commitments/{commitment_id}": _get(
                "Un engagement et ses versions publiées",
                [cop_id, s.path_param("commitment_id", {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                                         "Identifiant")],
                s.ref("Commitment"), 404),
            "/api/v1/conferences/{conference_id}/synthesis": _get("La synthèse du secrétariat", [cop_id],
                                                                  s.ref("Synthesis"), 404),
            "/api/v1/conferences/{conference_id}/rules": _get(
                "Le règlement intérieur en vigueur et toutes ses versions, avec la décision qui les a adoptées",
                [cop_id], s.ref("Rules"), 404),
            "/api/v1/conferences/{conference_id}/fair-shares": _get(
                "Les parts indicatives des intercommunalités : méthode en vigueur, données, part de chaque objectif",
                [cop_id, *s.PAGING], s.ref("FairShares"), 404, 422),
            "/api/v1/conferences/{conference_id}/sites": _get(
                "Le registre des sites industriels clés en main d’une COP", [cop_id, *s.PAGING, *s.SITE_FILTERS],
                s.page_of(s.ref("Site")), 404, 422),
            "/api/v1/conferences/{conference_id}/sites/{site_id}": _get(
                "Un site du registre",
                [cop_id, s.path_param("site_id", {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                                      "Identifiant")],
                s.ref("Site"), 404),
            "/api/v1/conferences/{conference_id}/support-answers": _get(
                "Les demandes d’appui des engagements acceptés, leur échéance et la réponse de leur financeur ; "
                "les financeurs et leurs budgets (engagé, restant)", [cop_id, *s.PAGING],
                s.ref("SupportAnswers"), 404, 422),
            "/api/v1/conferences/{conference_id}/meetings": _get(
                "Les séances publiques : ordre du jour, décisions et résultats des votes clos",
                [cop_id, *s.PAGING], s.page_of(s.ref("Meeting")), 404, 422),
            "/api/v1/conferences/{conference_id}/roadmap/versions": _get(
                "Les versions publiques de la feuille de route, leur empreinte SHA-256 et les signatures des parties",
                [cop_id, *s.PAGING], s.page_of(s.ref("RoadmapVersion")), 404, 422),
            "/api/v1/conferences/{conference_id}/contracts": _get(
                "Les contrats des territoires : cibles, appuis accordés, jalons, empreinte SHA-256, signatures du "
                "territoire, de la Région et de l’État, versements", [cop_id, *s.PAGING],
                s.page_of(s.ref("Contract")), 404, 422),
            "/api/v1/conferences/{conference_id}/contracts/{number}": _get(
                "Un contrat, par son numéro",
                [cop_id, s.path_param("number", {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}, "Numéro")],
                s.ref("Contract"), 404),
            "/api/v1/territories": _get("Les territoires ; q : nom de commune ou code postal",
                                        [*s.PAGING, *s.TERRITORY_FILTERS], s.page_of(s.ref("Territory")), 422),
            "/api/v1/territories/{kind}/{code}": _get(
                "Un territoire par son code officiel",
                [s.path_param("kind", {"type": "string", "enum": ["region", "departement", "epci", "ept"]}, "Nature"),
                 s.path_param("code", {"type": "string", "pattern": "^[0-9AB]{2,9}$"}, "Code INSEE ou SIREN")],
                s.ref("Territory"), 404),
        },
        "components": {"schemas": s.SCHEMAS},
    }


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI document."""
    return jsonify(document())
