"""Settings read from the environment, with development defaults."""
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


def _secret_key() -> str:
    """Return SECRET_KEY from the environment, or one kept in instance/ for development."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if os.environ.get("COP_ENV") == "production":
        raise RuntimeError("SECRET_KEY doit être défini en production.")
    path = INSTANCE / "secret_key"
    if not path.exists():
        INSTANCE.mkdir(exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _database_url() -> str:
    """Return COP_DATABASE_URL, or a SQLite file in instance/."""
    url = os.environ.get("COP_DATABASE_URL")
    if url:
        return url
    INSTANCE.mkdir(exist_ok=True)
    return f"sqlite:///{INSTANCE / 'cop.sqlite3'}"


class Config:
    """Everything the app reads at start-up."""

    ENV_NAME = os.environ.get("COP_ENV", "development")
    #: "json" (one object per line, the default in production) or "text"; cop/logs.py.
    COP_LOG_FORMAT = os.environ.get("COP_LOG_FORMAT", "json" if ENV_NAME == "production" else "text")
    #: Install the log handler at start-up (the test suite leaves logging to pytest).
    COP_LOG_CONFIGURE = True
    SQLALCHEMY_DATABASE_URI = _database_url()
    #: SQL parameters never reach the logs (secret ballots, password hashes), even with SQL logging on.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    SECRET_KEY = _secret_key()
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = ENV_NAME == "production"
    REMEMBER_COOKIE_SECURE = ENV_NAME == "production"
    WTF_CSRF_TIME_LIMIT = 3600 * 8
    MAX_CONTENT_LENGTH = int(os.environ.get("COP_MAX_UPLOAD_BYTES", 2 * 1024 * 1024))
    #: The largest PDF of an act authorising a signature (below the request's own cap, which answers 413).
    COP_ACT_MAX_BYTES = int(os.environ.get("COP_ACT_MAX_BYTES", 1536 * 1024))
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("COP_TIMEZONE", "Europe/Paris")
    LANGUAGES = ("fr", "en")
    #: Public URL of the live server, as the browser reaches it.
    COP_LIVE_URL = os.environ.get("COP_LIVE_URL", "ws://127.0.0.1:5001/live")
    COP_LIVE_HOST = os.environ.get("COP_LIVE_HOST", "127.0.0.1")
    COP_LIVE_PORT = int(os.environ.get("COP_LIVE_PORT", 5001))
    #: Origins allowed to open a live connection (comma-separated).
    COP_ALLOWED_ORIGINS = os.environ.get(
        "COP_ALLOWED_ORIGINS", "http://127.0.0.1:5000,http://localhost:5000"
    )
    #: "memory" (one live process) or "postgres" (LISTEN/NOTIFY across processes).
    COP_BUS = os.environ.get("COP_BUS", "memory")
    #: How many seconds of events a plain reader's page of a sitting meeting may lag its room (one rendering per
    #: worker and second during a vote, not one per ballot): once its live connection is open, the page fetches its
    #: parts as of the last event. 0: every page as of its last event.
    COP_ROOM_PAGE_LAG = float(os.environ.get("COP_ROOM_PAGE_LAG", 1.0))
    #: Lifetime of a live token, in seconds.
    COP_LIVE_TOKEN_TTL = int(os.environ.get("COP_LIVE_TOKEN_TTL", 60))
    #: Live server limits: largest frame accepted (bytes), commands per second and burst per connection.
    COP_LIVE_MAX_FRAME = int(os.environ.get("COP_LIVE_MAX_FRAME", 16 * 1024))
    COP_LIVE_COMMAND_RATE = float(os.environ.get("COP_LIVE_COMMAND_RATE", 5))
    COP_LIVE_COMMAND_BURST = int(os.environ.get("COP_LIVE_COMMAND_BURST", 20))
    #: Sockets one account, and one address, may hold open across all live processes (cop/live/sockets.py).
    COP_LIVE_MAX_SOCKETS_PER_ACCOUNT = int(os.environ.get("COP_LIVE_MAX_SOCKETS_PER_ACCOUNT", 8))
    COP_LIVE_MAX_SOCKETS_PER_ADDRESS = int(os.environ.get("COP_LIVE_MAX_SOCKETS_PER_ADDRESS", 200))
    #: Each live process refreshes its row every COP_LIVE_HEARTBEAT_SECONDS; the sockets of a process silent for
    #: COP_LIVE_PROCESS_EXPIRY_SECONDS (killed, frozen) stop counting towards the caps above.
    #: A live process pings a pooled connection only when it was idle this long (cop/live/connections.py).
    COP_LIVE_PING_IDLE_SECONDS = float(os.environ.get("COP_LIVE_PING_IDLE_SECONDS", 1))
    COP_LIVE_HEARTBEAT_SECONDS = float(os.environ.get("COP_LIVE_HEARTBEAT_SECONDS", 5))
    COP_LIVE_PROCESS_EXPIRY_SECONDS = float(os.environ.get("COP_LIVE_PROCESS_EXPIRY_SECONDS", 15))
    #: Commands one account may apply in one meeting per minute, whatever door or process (counted in the journal).
    COP_ACCOUNT_COMMANDS_PER_MINUTE = int(os.environ.get("COP_ACCOUNT_COMMANDS_PER_MINUTE", 60))
    #: How often the live server looks for events written by the web door, and re-checks accounts (seconds).
    COP_LIVE_POLL_SECONDS = float(os.environ.get("COP_LIVE_POLL_SECONDS", 2))
    COP_LIVE_RECHECK_SECONDS = float(os.environ.get("COP_LIVE_RECHECK_SECONDS", 2))
    #: A client further behind than this many events gets a snapshot instead of a replay.
    COP_LIVE_REPLAY_MAX = int(os.environ.get("COP_LIVE_REPLAY_MAX", 500))
    #: Lifetime of invitation and password-reset links, in hours.
    COP_TOKEN_HOURS = int(os.environ.get("COP_TOKEN_HOURS", 72))
    #: Lifetime of password-reset links, in hours (shorter: they open an account).
    COP_RESET_TOKEN_HOURS = int(os.environ.get("COP_RESET_TOKEN_HOURS", 2))
    #: Argon2id cost; tests lower it.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    #: How many reverse proxies stand in front of the app (their X-Forwarded-For/-Proto are trusted); 0: none.
    COP_PROXY_COUNT = int(os.environ.get("COP_PROXY_COUNT", 0))
    #: Write whole outgoing messages (links included) to the log while no SMTP server is configured: never in
    #: production unless asked for.
    COP_MAIL_LOG_BODY = os.environ.get("COP_MAIL_LOG_BODY", "0" if ENV_NAME == "production" else "1") == "1"
    #: Public base URL, used in links sent by e-mail (printed in development).
    COP_BASE_URL = os.environ.get("COP_BASE_URL", "http://127.0.0.1:5000")
    #: The organiser's identity when a COP sets none: name (default: the COP's region), colour (#rrggbb, at least
    #: 4.5:1 against white), contact line.
    COP_IDENTITY_NAME = os.environ.get("COP_IDENTITY_NAME", "")
    COP_IDENTITY_COLOUR = os.environ.get("COP_IDENTITY_COLOUR", "#000091")
    COP_IDENTITY_CONTACT = os.environ.get("COP_IDENTITY_CONTACT", "")
    #: Legal pages of the deployment: a folder with mentions-legales.md, confidentialite.md, accessibilite.md, and
    #: the facts the default pages print when the folder has no text for them.
    COP_LEGAL_DIR = os.environ.get("COP_LEGAL_DIR", "")
    COP_LEGAL_PUBLISHER = os.environ.get("COP_LEGAL_PUBLISHER", "")
    COP_LEGAL_DIRECTOR = os.environ.get("COP_LEGAL_DIRECTOR", "")
    COP_LEGAL_HOST = os.environ.get("COP_LEGAL_HOST", "")
    COP_LEGAL_DPO = os.environ.get("COP_LEGAL_DPO", "")
    #: Render an adopted roadmap's PDF in a background thread as soon as the adoption commits (else: on the first
    #: download); either way it is rendered once and stored.
    COP_ROADMAP_PDF_BACKGROUND = os.environ.get("COP_ROADMAP_PDF_BACKGROUND", "1") != "0"
    #: Outgoing mail: an SMTP server when COP_SMTP_HOST is set, else the console (the worker prints messages).
    COP_SMTP_HOST = os.environ.get("COP_SMTP_HOST", "")
    COP_SMTP_PORT = int(os.environ.get("COP_SMTP_PORT", 587))
    COP_SMTP_USER = os.environ.get("COP_SMTP_USER", "")
    COP_SMTP_PASSWORD = os.environ.get("COP_SMTP_PASSWORD", "")
    #: "starttls" (port 587), "ssl" (port 465) or "none" (a relay on the same host or network).
    COP_SMTP_SECURITY = os.environ.get("COP_SMTP_SECURITY", "starttls")
    COP_SMTP_TIMEOUT = float(os.environ.get("COP_SMTP_TIMEOUT", 20))
    COP_MAIL_FROM = os.environ.get("COP_MAIL_FROM", "COP <ne-pas-repondre@cop.localhost>")
    #: The mail worker: seconds between looks at the queue, lease of a message being sent, tries before giving up.
    COP_MAIL_POLL_SECONDS = float(os.environ.get("COP_MAIL_POLL_SECONDS", 2))
    COP_MAIL_LEASE_SECONDS = int(os.environ.get("COP_MAIL_LEASE_SECONDS", 120))
    COP_MAIL_MAX_ATTEMPTS = int(os.environ.get("COP_MAIL_MAX_ATTEMPTS", 12))
    #: The hour (UTC) from which each day's digests are sent; seconds between the worker's daily-job checks.
    COP_DIGEST_HOUR = int(os.environ.get("COP_DIGEST_HOUR", 6))
    COP_MAIL_DAILY_SECONDS = float(os.environ.get("COP_MAIL_DAILY_SECONDS", 300))


class TestConfig(Config):
    """Settings for the test suite: a database from COP_TEST_DATABASE_URL, cheap hashing."""

    TESTING = True
    COP_LOG_CONFIGURE = False
    SQLALCHEMY_DATABASE_URI = os.environ.get("COP_TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    SERVER_NAME = None
    COP_ROADMAP_PDF_BACKGROUND = False
    #: Every room page as of its last event (tests/negotiation/test_room_page_shared.py sets a lag where it tests it).
    COP_ROOM_PAGE_LAG = 0.0
    #: Scenario tests play whole meetings in seconds; tests/security/test_limits.py sets the real quota.
    COP_ACCOUNT_COMMANDS_PER_MINUTE = 100_000
