"""The live processes and their sockets, shared through the database so that the socket caps hold across processes.

Each live process has a row it refreshes every few seconds (`seen_dt`); each admitted socket a row naming its
process. A socket counts while its process's row is fresh: a process killed without a goodbye stops counting
within `COP_LIVE_PROCESS_EXPIRY_SECONDS`, and the next living process's heartbeat deletes its rows.
"""
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from cop.db import db, utcnow


class LiveProcess(db.Model):
    """A running live server process."""

    __tablename__ = "live_process"

    #: A random id drawn when the process starts (a restarted process never inherits a dead one's sockets).
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    started_dt: Mapped[datetime] = mapped_column(default=utcnow)
    #: The process's last heartbeat; its sockets count while it is within the expiry.
    seen_dt: Mapped[datetime] = mapped_column(default=utcnow)


class LiveSocket(db.Model):
    """An admitted WebSocket connection: whose account and which address hold it, in which process."""

    __tablename__ = "live_socket"

    #: Drawn by the process when it admits the socket.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    process_id: Mapped[str] = mapped_column(ForeignKey("live_process.id", ondelete="CASCADE"), index=True)
    #: The account (None for a citizen watching a public meeting).
    user_id: Mapped[Optional[int]] = mapped_column(index=True)
    #: The client's address as the live server sees it (behind COP_PROXY_COUNT proxies, the hop they add).
    address: Mapped[str] = mapped_column(String(64), index=True)
    opened_dt: Mapped[datetime] = mapped_column(default=utcnow)
