"""Accounts, and the one-use tokens behind invitation and password-reset links."""
import secrets
from datetime import datetime
from typing import Optional

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from cop.db import db, utcnow
from cop.notify.models import MailMode, check_in


class User(UserMixin, db.Model):
    """A person with an account: staff of a presidency, a delegate, an observer, an administrator."""

    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint(check_in("mail_mode", MailMode), name="mail_mode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Always stored lower-case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[Optional[str]] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(default=False)
    #: The language of the messages sent to this person ("fr" or "en"), set by the language switch.
    language: Mapped[str] = mapped_column(String(5), default="fr", server_default="fr")
    #: The region whose council or préfecture staff this user belongs to: may create its COPs.
    region_id: Mapped[Optional[int]] = mapped_column(ForeignKey("territory.id"))
    #: A disabled account cannot log in and its live connections are closed.
    is_disabled: Mapped[bool] = mapped_column(default=False)
    #: Changes on login, logout and password change: older session cookies stop working.
    session_nonce: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(8))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    #: Each notice as it happens, or one digest a day (a MailMode).
    mail_mode: Mapped[str] = mapped_column(String(16), default=MailMode.IMMEDIATE,
                                           server_default=MailMode.IMMEDIATE.value)
    #: Set by the one-link unsubscribe: only mandatory messages are sent while it is set.
    unsubscribed_dt: Mapped[Optional[datetime]] = mapped_column()
    #: Bumped on re-subscribing: the unsubscribe links of older messages stop working.
    mail_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    #: When the last daily digest was built (sent or, when nothing had changed, skipped).
    last_digest_dt: Mapped[Optional[datetime]] = mapped_column()
    #: The last sign-in: the digest tells what changed since the later of this and the last digest.
    last_visit_dt: Mapped[Optional[datetime]] = mapped_column()

    @property
    def is_active(self) -> bool:
        """Flask-Login: a disabled account is not active."""
        return not self.is_disabled

    def get_id(self) -> str:
        """Flask-Login: the id plus the session nonce, so rotating the nonce ends old sessions."""
        return f"{self.id}:{self.session_nonce}"

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class AccountToken(db.Model):
    """A one-use link: an invitation to join a conference, or a password reset."""

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "invitation" or "password_reset".
    purpose: Mapped[str] = mapped_column(String(32))
    #: SHA-256 of the secret sent in the link; the secret itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    #: For invitations: the conference, the role and the party the invitee joins.
    conference_id: Mapped[Optional[int]] = mapped_column(ForeignKey("conference.id"))
    party_id: Mapped[Optional[int]] = mapped_column(ForeignKey("party.id"))
    role: Mapped[Optional[str]] = mapped_column(String(32))
    #: An invitation's language ("fr", "en"), chosen by the inviter; None: the COP's language.
    language: Mapped[Optional[str]] = mapped_column(String(5))
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    expires_dt: Mapped[datetime] = mapped_column()
    used_dt: Mapped[Optional[datetime]] = mapped_column()


class ThrottleHit(db.Model):
    """One counted attempt (a failed login, a reset request), shared by every worker and host through the database.

    The key is stored as a SHA-256 digest: the table never holds the addresses that were tried.
    """

    __tablename__ = "throttle_hit"
    __table_args__ = (Index("ix_throttle_hit_key_created", "key_hash", "created_dt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow, index=True)
