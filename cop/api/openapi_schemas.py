"""The schemas and parameters of the OpenAPI document, matching the JSON the API answers."""


def ref(name: str) -> dict:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: dict, **optional) -> dict:
    """An object schema whose listed properties are all required."""
    return {"type": "object", "required": list(required), "properties": {**required, **optional}}


def maybe(kind: str) -> dict:
    """A value of a type, or null."""
    return {"type": [kind, "null"]}


def array(items: dict) -> dict:
    """An array of items."""
    return {"type": "array", "items": items}


def page_of(item: dict) -> dict:
    """One page of a list."""
    return obj({"items": array(item), "page": INT, "per_page": INT, "total": INT, "pages": INT,
                "next": maybe("string"), "previous": maybe("string")})


def query_param(name: str, schema: dict, description: str) -> dict:
    """An optional query parameter."""
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def path_param(name: str, schema: dict, description: str) -> dict:
    """A path parameter."""
    return {"name": name, "in": "path", "required": True, "schema": schema, "description": description}


INT, NUM, STR, BOOL = {"type": "integer"}, {"type": "number"}, {"type": "string"}, {"type": "boolean"}
PAGING = [query_param("page", {"type": "integer", "minimum": 1, "maximum": 1_000_000}, "Numéro de page, à partir de 1"),
          query_param("per_page", {"type": "integer", "minimum": 1, "maximum": 1_000_000},
                      "Éléments par page (50 par défaut ; ramené à 200 au plus)")]
CONFERENCE_FILTERS = [
    query_param("phase", {"type": "string", "enum": ["preparation", "call_for_commitments", "negotiation", "adoption",
                                                    "implementation", "closed"]}, "Phase"),
    query_param("region", STR, "Code INSEE de la région"),
    query_param("year", {"type": "integer", "minimum": 0, "maximum": 9999}, "Année d’édition")]
COMMITMENT_FILTERS = [
    query_param("party", {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}, "Identifiant de la partie"),
    query_param("sector", STR, "Code de la filière"),
    query_param("status", {"type": "string", "enum": ["submitted", "accepted", "returned", "withdrawn"]}, "État")]
TERRITORY_FILTERS = [query_param("q", STR, "Nom de commune (accents et casse indifférents) ou code postal"),
                     query_param("kind", {"type": "string", "enum": ["region", "departement", "epci", "ept"]},
                                 "Nature")]

PARTY = obj({"id": INT, "name": STR, "kind": STR, "territory_code": maybe("string")})
SECTOR = obj({"code": STR, "name": STR})
INDICATOR = obj({"code": STR, "name": STR, "unit": STR})
PLEDGE = obj({"indicator": INDICATOR, "reference_year": INT, "reference_value": NUM, "target_year": INT,
              "unconditional": NUM, "conditional_part": NUM, "conditional": NUM, "project": maybe("object"),
              "project_share": NUM})
TEXTS = ("scope", "actions", "assumptions_method", "local_preparation", "fairness_ambition", "regional_contribution",
         "justification")
VERSION = obj({
    "number": INT, "status": STR, "is_step_back": BOOL, "submitted_at": maybe("string"),
    "reviewed_at": maybe("string"), "review_comment": STR, "reference_year": INT, "target_year": INT,
    **{name: STR for name in TEXTS}, "pledges": array(PLEDGE),
    "support_requests": array(obj({"funder": STR, "amount": NUM, "purpose": STR, "indicators": array(STR)})),
    "sites": array(obj({"name": STR, "commune": obj({"code": STR, "name": STR}), "hectares": NUM, "kind": STR,
                        "status": STR})),
    "partners": array(PARTY)})
SUMMARY = {"id": INT, "url": STR, "party": PARTY, "sector": SECTOR, "status": STR, "version": INT,
           "is_step_back": BOOL, "submitted_at": maybe("string")}
ROW = obj({"sector": STR, "indicator": STR, "unit": STR, "target": maybe("number"), "target_year": maybe("integer"),
           "unconditional": NUM, "conditional": NUM, "gap_unconditional": maybe("number"),
           "gap_conditional": maybe("number"), "parties": INT, "double_counting_avoided": NUM})
RULES = obj({"decision_mode": STR, "objection_window_seconds": INT, "vote_weighting": STR, "secret_ballot": BOOL,
             "speaking_time_seconds": INT, "max_priority_sectors": INT, "quorum_percent": INT,
             "consensus_quorum": BOOL, "sealed_readers": STR,
             "signature_act_required": BOOL})
FAIR_SHARE_ITEM = obj({
    "party": PARTY, "population": INT, "key": NUM,
    "figures": {"type": "object", "additionalProperties": NUM},
    "shares": array(obj({"sector": STR, "indicator": STR, "year": INT, "share": NUM}))})
SITE_FILTERS = [
    {**query_param("statut", {"type": "array", "items": {"type": "string", "enum": [
        "brownfield", "rehabilitating", "ready", "taken"]}}, "Statut (répétable)"), "style": "form", "explode": True},
    query_param("departement", {"type": "string", "pattern": "^[0-9A-Za-z]{1,3}$"}, "Code du département"),
    query_param("puissance_min", {"type": "number", "minimum": 0, "maximum": 99_999_999},
                "Puissance électrique disponible minimale (MW)"),
    query_param("surface_min", {"type": "number", "minimum": 0, "maximum": 99_999_999}, "Surface minimale (ha)"),
    query_param("rail", {"type": "string", "enum": ["1"]}, "Desserte ferroviaire"),
    query_param("port", {"type": "string", "enum": ["1"]}, "Accès portuaire ou fluvial"),
    query_param("icpe", {"type": "string", "enum": ["none", "declaration", "registration", "authorisation",
                                                    "seveso_low", "seveso_high"]}, "Régime ICPE")]
#: The public part of a seal (cop/seals): never the hidden content; null when the object was never sealed.
SEAL = {"oneOf": [{"type": "null"}, obj({"sealed": BOOL, "hidden": BOOL, "digest": STR, "reason": STR,
                                         "announce_on": STR})]}
SITE = obj({"id": INT, "url": STR, "name": STR, "commune": {"oneOf": [{"type": "null"}, obj({"code": STR,
                                                                                               "name": STR})]},
            "seal": SEAL, "departement": STR,
            "hectares": NUM, "status": STR, "owner": STR, "available_on": maybe("string"),
            "power_mw": maybe("number"), "rail_access": BOOL, "port_access": BOOL, "icpe": STR,
            "land_take_avoided_ha": NUM, "description": STR,
            "commitments": array(obj({"id": INT, "use": STR}))})
ANSWER = obj({"status": {"type": "string", "enum": ["granted", "partly_granted", "refused", "under_instruction"]},
              "amount": maybe("number"), "reason": STR, "answered_on": STR,
              "budget": {"oneOf": [{"type": "null"}, obj({"programme": STR, "year": INT})]}})
SUPPORT_ITEM = obj({"id": INT, "commitment_id": INT, "party": PARTY, "sector": STR, "funder": STR, "amount": NUM,
                    "purpose": STR, "indicators": array(STR), "due_on": maybe("string"),
                    "answer": {"oneOf": [{"type": "null"}, ANSWER]}})
ROADMAP_VERSION = obj({
    "number": INT, "state": {"type": "string", "enum": ["submitted", "adopted", "superseded"]},
    "generated_at": STR, "submitted_at": maybe("string"), "adopted_at": maybe("string"), "decision_reference": STR,
    "sha256": maybe("string"), "json_url": STR,
    "signatures": array(obj({"party": PARTY, "sha256": STR, "signed_at": STR, "matches": BOOL}))})
CONTRACT = obj({
    "number": INT, "state": {"type": "string", "enum": ["generated", "signed"]}, "url": STR, "page_url": STR,
    "json_url": STR, "party": PARTY, "sector": SECTOR, "sha256": STR, "generated_at": STR, "granted_total": NUM,
    "document": {"type": "object"},
    "milestones": array(obj({"position": INT, "label": STR, "due_on": STR, "amount": NUM, "disbursed": NUM})),
    "signatures": array(obj({"party": PARTY, "role": {"type": "string", "enum": ["territory", "region", "state"]},
                             "sha256": STR, "signed_at": STR, "matches": BOOL,
                             "act": {"oneOf": [{"type": "null"}, obj({"kind": STR, "number": STR, "adopted_on": STR,
                                                                        "body": STR, "sha256": STR})]}}))})
MEETING = obj({
    "id": INT, "kind": STR, "title": STR, "place": STR, "starts_at": STR, "state": STR,
    "agenda": array(obj({"id": INT, "position": INT, "title": STR, "description": STR, "state": STR})),
    "decisions": array(obj({"number": INT, "agenda_item_id": INT, "mode": STR, "outcome": STR, "text": STR,
                            "at": STR})),
    "votes": array(obj({"agenda_item_id": INT, "question": STR, "weighting": STR, "is_secret": BOOL, "present": INT,
                        "quorum_required": INT, "yes": INT, "no": INT, "abstain": INT, "yes_population": INT,
                        "no_population": INT, "abstain_population": INT, "outcome": maybe("string")}))})
SCHEMAS = {
    "Contract": CONTRACT,
    "Meeting": MEETING,
    "RoadmapVersion": ROADMAP_VERSION,
    "SupportAnswers": obj({
        **page_of(SUPPORT_ITEM)["properties"],
        "funders": array(obj({"code": STR, "party": PARTY, "answer_days": INT, "budgets": array(obj({
            "programme": STR, "year": INT, "amount": NUM, "committed": NUM, "remaining": NUM}))}))}),
    "Site": SITE,
    "FairShares": obj({
        **page_of(FAIR_SHARE_ITEM)["properties"],
        "basis": obj({"method": {"type": "string", "enum": ["population", "figures"]}, "version": INT,
                      "created_at": maybe("string"), "note": STR, "source_sha256": STR,
                      "criteria": array(obj({"name": STR, "weight": NUM}))}),
        "targets": array(obj({"sector": SECTOR, "indicator": INDICATOR, "year": INT, "target": NUM}))}),
    "Rules": obj({"in_force": RULES, "versions": array(obj({
        "number": INT, "state": STR, "phase": STR, "rules": RULES, "proposed_at": STR, "in_force_at": maybe("string"),
        "decision": {"oneOf": [{"type": "null"}, obj({"number": INT, "reference": STR, "meeting": STR})]}}))}),
    "Error": obj({"error": obj({"status": INT, "message": STR})}),
    "Conference": obj({
        "id": INT, "code": STR, "title": STR, "edition_year": INT, "region": obj({"code": STR, "name": STR}),
        "phase": STR, "opens_on": maybe("string"), "commitments_due_on": maybe("string"),
        "negotiation_on": maybe("string"), "adoption_on": maybe("string"), "horizon_year": INT,
        "figures": obj({"parties": INT, "filing_parties": INT, "commitments": INT, "accepted": INT}),
        "url": STR, "commitments_url": STR, "synthesis_url": STR, "page_url": STR}),
    "Territory": obj({"id": INT, "kind": STR, "code": STR, "name": STR, "legal_form": maybe("string"),
                      "population": INT, "region_code": maybe("string"), "url": STR, "page_url": STR}),
    "CommitmentSummary": obj(SUMMARY),
    "Commitment": obj({**SUMMARY, "withdrawal_reason": STR, "seal": SEAL, "versions": array(VERSION)}),
    "Synthesis": obj({
        "conference": obj({"id": INT, "code": STR, "title": STR, "phase": STR, "horizon_year": INT}),
        "basis": STR, "rows": array(ROW),
        "coverage": obj({"parties": INT, "filed": INT, "population": INT, "region_population": INT,
                         "parties_share": NUM, "population_share": NUM}),
        "support_by_funder": array(obj({"funder": STR, "requests": INT, "amount": NUM})),
        "flags": obj({"sectors_without_commitment": array(STR), "parties_without_commitment": array(STR),
                      "sites_claimed_twice": array({"type": "object"}),
                      "pledges_after_horizon": array({"type": "object"}),
                      "step_backs": array({"type": "object"}),
                      "likely_double_counts": array({"type": "object"})})}),
}
