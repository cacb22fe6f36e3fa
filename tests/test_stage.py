"""What the projector's stage shows at each moment of a decision, read from the live state."""
from cop.meetings.stage import floor_of, stage_of


def _state(**negotiation) -> dict:
    base = {"drafts": [], "amendments": [], "window": None, "vote": None, "decisions": []}
    return {"items": [{"id": 1, "position": 1, "title": "Point", "state": "open"}], "current_item_id": 1,
            "speakers": [], "negotiation": dict(base, **negotiation)}


def test_each_moment_of_a_decision():
    window = {"id": 4, "item_id": 1, "state": "open", "ends_at": "2027-03-22T10:00:00Z",
              "objections": [{"state": "standing", "party": "Lyon"}, {"state": "withdrawn", "party": "Annecy"}]}
    moment = stage_of(_state(window=window))["moment"]
    assert moment["show"] == "window" and [o["party"] for o in moment["objections"]] == ["Lyon"]
    vote = {"id": 7, "item_id": 1, "state": "open"}
    assert stage_of(_state(vote=vote))["moment"]["show"] == "vote"
    closed = dict(vote, state="closed", outcome="adopted")
    decision = {"number": 2, "item_id": 1, "mode": "vote", "outcome": "adopted"}
    moment = stage_of(_state(vote=closed, decisions=[decision]))["moment"]
    assert moment["show"] == "result" and moment["adopted"] and moment["decision"]["number"] == 2
    rejected = stage_of(_state(vote=dict(closed, outcome="rejected")))["moment"]
    assert rejected["show"] == "result" and not rejected["adopted"] and rejected["decision"] is None
    gavel = dict(decision, mode="consensus", number=3)
    assert stage_of(_state(window=dict(window, state="adopted"), decisions=[gavel]))["moment"]["show"] == "decision"
    assert stage_of(_state(window=dict(window, state="blocked")))["moment"]["show"] == "blocked"
    other_item = dict(window, item_id=2)
    assert stage_of(_state(window=other_item))["moment"]["show"] is None


def test_no_item_and_the_floor():
    state = dict(_state(), current_item_id=None, speakers=[
        {"id": 1, "state": "waiting"}, {"id": 2, "state": "speaking"}, {"id": 3, "state": "waiting"}])
    assert stage_of(state) == {"item": None}
    floor = floor_of(state)
    assert floor["speaker"]["id"] == 2 and [r["id"] for r in floor["waiting"]] == [1, 3]
