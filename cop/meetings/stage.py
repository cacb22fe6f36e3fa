"""What the room's screens show, read from the live state (JSON): who has the floor, who waits, and the projector's
stage — the item, its text, and the moment of the decision (countdown, vote, result, decision adopted)."""
from typing import Optional

from cop.meetings import bp


def _last(rows: list[dict], **match) -> Optional[dict]:
    """The last row whose keys have these values."""
    found = [row for row in rows if all(row.get(k) == v for k, v in match.items())]
    return found[-1] if found else None


@bp.app_template_global()
def floor_of(state: dict) -> dict:
    """The speaker (or None) and the waiting requests, in the list's order."""
    speakers = state["speakers"]
    return {"speaker": _last(speakers, state="speaking"),
            "waiting": [r for r in speakers if r["state"] == "waiting"]}


def _moment(item_id: int, negotiation: dict) -> dict:
    """The decision under way or just taken on the item: one of window, vote, result, decision, blocked."""
    window = negotiation.get("window") if (negotiation.get("window") or {}).get("item_id") == item_id else None
    vote = negotiation.get("vote") if (negotiation.get("vote") or {}).get("item_id") == item_id else None
    decision = _last(negotiation.get("decisions", []), item_id=item_id)
    if window and window["state"] == "open":
        return {"show": "window", "window": window,
                "objections": [o for o in window["objections"] if o["state"] == "standing"]}
    if vote and vote["state"] == "open":
        return {"show": "vote", "vote": vote}
    if vote and (decision is None or decision["mode"] == "vote"):
        return {"show": "result", "vote": vote, "adopted": vote.get("outcome") == "adopted",
                "decision": decision if decision and decision["mode"] == "vote" else None}
    if decision:
        return {"show": "decision", "decision": decision, "noted": decision["outcome"] == "noted"}
    if window and window["state"] == "blocked":
        return {"show": "blocked"}
    return {"show": None}


@bp.app_template_global()
def stage_of(state: dict) -> dict:
    """The projector's stage: the current item, its text and the amendment in focus, and the decision's moment."""
    item = next((i for i in state["items"] if i["id"] == state["current_item_id"]), None)
    if item is None:
        return {"item": None}
    negotiation = state.get("negotiation") or {}
    draft = _last(negotiation.get("drafts", []), item_id=item["id"])
    focus = None
    if draft:
        pending = [a for a in negotiation.get("amendments", [])
                   if a["draft_id"] == draft["id"] and a["state"] in ("taken_up", "tabled")]
        focus = next((a for a in pending if a["state"] == "taken_up"), pending[-1] if pending else None)
    paragraphs = draft["paragraphs"] if draft else []
    target = next((p for p in paragraphs if focus and p["id"] == focus["paragraph_id"]), None)
    return {"item": item, "draft": draft, "focus": focus, "focus_text": target["text"] if target else "",
            "moment": _moment(item["id"], negotiation)}
