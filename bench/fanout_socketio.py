"""The peer for bench/live_fanout.py: Flask-SocketIO, as a Flask team would deploy it (gunicorn, gevent worker).

Run by the bench: gunicorn -k gevent -w 1 --bind 127.0.0.1:PORT bench.fanout_socketio:app
A client emits `join` to enter the meeting's room; a `command` is answered by an `event` emitted to the room.
"""
from gevent import monkey

monkey.patch_all()

from datetime import datetime, timezone  # noqa: E402

from flask import Flask  # noqa: E402
from flask_socketio import SocketIO, emit, join_room  # noqa: E402

app = Flask(__name__)
socketio = SocketIO(app, async_mode="gevent", cors_allowed_origins="*")
STATE = {"seq": 0}


@socketio.on("join")
def on_join(data):
    """Enter the meeting's room."""
    join_room(f"meeting-{int(data['meeting'])}")


@socketio.on("command")
def on_command(data):
    """Emit the event to the whole room, then acknowledge."""
    STATE["seq"] += 1
    event = {"type": "event", "seq": STATE["seq"], "name": "timer.stopped",
             "actor": {"user_id": 1, "name": "Présidence", "party_id": None, "party": None},
             "at": datetime.now(timezone.utc).isoformat(), "data": {"timer": {"request_id": 1, "elapsed": 1.0,
                                                                               "running": False, "limit": 180}}}
    socketio.emit("event", event, to=f"meeting-{int(data['meeting'])}")
    emit("ack", {"id": data.get("id"), "seq": STATE["seq"]})
