"""The draft form as a page: filling it, adding and removing rows, communes, and errors beside their fields."""
import json
from typing import Optional

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from cop.commitments import drafts
from cop.commitments.forms import LINE_LISTS, DraftForm, PledgeForm, SiteForm, SupportForm
from cop.commitments.forms import set_pledge_choices, set_site_choices, set_support_choices
from cop.commitments.models import Commitment, CommitmentVersion
from cop.db import db
from cop.errors import DomainError
from cop.reference.models import Indicator
from cop.projects import queries as project_queries
from cop.territories import lookup

#: The largest typed state kept by the autosave (characters of JSON).
MAX_STATE = 400_000
_BLANK_FORMS = {"pledges": PledgeForm, "supports": SupportForm, "sites": SiteForm}


def filled_form(commitment: Commitment, draft: CommitmentVersion) -> DraftForm:
    """The form filled with the draft (or with the input kept by the autosave), one blank pledge if none."""
    state = restored_state(draft)
    if state is not None:
        form = DraftForm(formdata=state)
        form.version.data = str(commitment.version)
        return form
    data = drafts.snapshot(draft)
    form = DraftForm(formdata=None, data={
        "version": commitment.version, "reference_year": data.reference_year, "target_year": data.target_year,
        **data.texts, "partners": data.partner_ids,
        "pledges": [{"indicator": p.indicator, "reference_year": p.reference_year, "target_year": p.target_year,
                     "reference_value": p.reference_value, "unconditional": p.unconditional,
                     "conditional": p.conditional, "project": str(p.project_id or ""), "share": p.share}
                    for p in data.pledges],
        "supports": [vars(s) for s in data.supports],
        "sites": [{**vars(s), "commune_code": lookup.label(site.commune)} for s, site in zip(data.sites, draft.sites)]})
    if not data.pledges:
        add_row(form, "pledges", data.reference_year, data.target_year)
    return form


def restored_state(draft: CommitmentVersion) -> Optional[MultiDict]:
    """The input the autosave kept for this draft, or None."""
    if not draft.form_state:
        return None
    return MultiDict([(str(k), str(v)) for k, v in json.loads(draft.form_state)])


def keep_state(draft: CommitmentVersion, formdata: MultiDict) -> bool:
    """Keep the typed input on the draft (not the CSRF token); False when it is too large."""
    pairs = [(k, v) for k, v in formdata.items(multi=True) if k not in ("csrf_token", "action", "add", "remove")]
    state = json.dumps(pairs, ensure_ascii=False)
    if len(state) > MAX_STATE:
        return False
    draft.form_state = state
    return True


def add_row(form: DraftForm, name: str, reference_year=None, target_year=None) -> None:
    """Append a blank line to a list (pledges take the frame's years)."""
    entry = form[name].append_entry()
    if name == "pledges":
        entry.form.reference_year.data = reference_year or form.reference_year.data
        entry.form.target_year.data = target_year or form.target_year.data


def remove_row(form: DraftForm, row: str) -> None:
    """Drop the line named "pledges-2" (its neighbours keep their names)."""
    name, _sep, index = row.rpartition("-")
    if name in LINE_LISTS:
        field_list = form[name]
        field_list.entries = [e for e in field_list.entries if e.id != row]


def row_action(form: DraftForm, values: MultiDict) -> bool:
    """Apply an "add a row" or "remove this row" button; True when it was one."""
    if values.get("add") in LINE_LISTS:
        add_row(form, values["add"])
        return True
    if values.get("remove"):
        remove_row(form, values["remove"])
        return True
    return False


def set_choices(form: DraftForm, commitment: Commitment) -> list[Indicator]:
    """The catalogue and the other parties of the COP, for the select lists; returns the indicators."""
    indicators = db.session.scalars(db.select(Indicator).order_by(Indicator.position)).all()
    parties = [p for p in commitment.party.conference.parties if p.id != commitment.party_id]
    form.set_choices(indicators, parties, project_queries.choices(commitment.party.conference))
    return indicators


def blank_rows(indicators, form: DraftForm) -> dict:
    """One blank line per list with "__i__" for its index, for the page's script to copy."""
    rows = {}
    for name, form_class in _BLANK_FORMS.items():
        line = form_class(prefix=f"{name}-__i__-")
        {"pledges": lambda f: set_pledge_choices(f, indicators, getattr(form, "project_choices", ())),
         "supports": lambda f: set_support_choices(f, indicators), "sites": set_site_choices}[name](line)
        rows[name] = line
    rows["pledges"].reference_year.data = form.reference_year.data
    rows["pledges"].target_year.data = form.target_year.data
    return rows


def resolve_communes(form: DraftForm, region_code: str) -> bool:
    """Turn each site's commune (name, postcode or code) into "Name (INSEE)"; False and errors when not found."""
    ok = True
    for entry in form.sites.entries:
        if entry.form.is_blank():
            continue
        field = entry.form.commune_code
        try:
            field.data = lookup.label(lookup.find_commune(field.data or "", region_code))
        except DomainError as error:
            field.errors = [*field.errors, error.message]
            ok = False
    return ok


def place_error(form: DraftForm, error: DomainError) -> None:
    """Show a domain refusal beside the fields and lines it concerns."""
    problems = getattr(error, "problems", None)
    fields = getattr(error, "fields", None)
    if fields:
        for name, message in fields.items():
            _add_error(form, name, message)
    elif problems:
        for problem in problems:
            _place_problem(form, problem)


def _place_problem(form: DraftForm, problem) -> None:
    """One problem of the draft, beside its line (refs count filled lines only) or its field."""
    if problem.ref is None:
        _add_error(form, problem.beside, problem.message)
        return
    kind, index = problem.ref
    name = {"pledge": "pledges", "support": "supports", "site": "sites"}[kind]
    filled = [entry for entry in form[name].entries if not entry.form.is_blank()]
    if index < len(filled):
        form.line_errors.setdefault(filled[index].id, []).append(problem.message)


def _add_error(form: DraftForm, name: str, message: str) -> None:
    """Append a message to a field (or to a list of lines) of the form."""
    if name in LINE_LISTS:
        form.line_errors.setdefault(name, []).append(message)
    else:
        form[name].errors = [*form[name].errors, message]


def error_summary(form: DraftForm) -> list[tuple[str, str]]:
    """(anchor, message) for every error of the form, in page order, for the summary at its top."""
    out = []
    for field in form:
        if field.name in LINE_LISTS:
            for entry in field.entries:
                out += [(sub.id, f"{sub.label.text} : {' '.join(map(str, sub.errors))}")
                        for sub in entry.form if sub.errors]
                out += [(entry.id + "-line", m) for m in form.line_errors.get(entry.id, [])]
            listed = [m for m in field.errors if isinstance(m, str)] + form.line_errors.get(field.name, [])
            out += [(field.name + "-list", str(m)) for m in listed]
        elif field.errors and field.name != "csrf_token":
            out.append((field.id, f"{field.label.text} : {' '.join(map(str, field.errors))}"))
        elif field.errors:
            out.append(("", _("Le formulaire a expiré : enregistrez à nouveau.")))
    return out
