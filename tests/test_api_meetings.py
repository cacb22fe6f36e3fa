"""GET /api/v1/conferences/<id>/meetings: public meetings with their agenda, decisions and closed votes' results."""
from cop.db import db
from tests.negotiation.conftest import build, do
from tests.negotiation.test_votes import clean, open_vote


def test_a_public_meeting_with_its_agenda_decision_and_vote_result(client, make):
    neg = build(make, decision_mode="vote")
    neg.meeting.is_public = True
    db.session.commit()
    clean(neg)
    vote = open_vote(neg)
    do(neg.u.lyon, neg.meeting, "vote.cast", vote_id=vote["id"], choice="yes")
    do(neg.u.grenoble, neg.meeting, "vote.cast", vote_id=vote["id"], choice="no")
    do(neg.u.annecy, neg.meeting, "vote.cast", vote_id=vote["id"], choice="yes")
    do(neg.u.chair, neg.meeting, "vote.close", vote_id=vote["id"])
    body = client.get(f"/api/v1/conferences/{neg.meeting.conference_id}/meetings").get_json()
    assert body["total"] == 1
    meeting = body["items"][0]
    assert neg.item.title == meeting["agenda"][0]["title"] and len(meeting["agenda"]) == len(neg.meeting.items)
    assert meeting["votes"][0]["yes"] == 2 and meeting["votes"][0]["no"] == 1
    assert meeting["votes"][0]["outcome"] == "adopted"
    assert meeting["decisions"][0]["mode"] == "vote" and meeting["decisions"][0]["outcome"] == "adopted"
    neg.meeting.is_public = False
    db.session.commit()
    assert client.get(f"/api/v1/conferences/{neg.meeting.conference_id}/meetings").get_json()["total"] == 0
