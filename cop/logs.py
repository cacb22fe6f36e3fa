"""Structured logs: one JSON line per record (COP_LOG_FORMAT=json, the default outside tests) and request ids.

A request id comes from the `X-Request-Id` header (as set by nginx) or is made here; it is answered in the same
header, carried on every log line of the request and written into the audit events the request records. The live
server makes one per command. Lines name routes, never raw paths or query strings: a reset link's token stays out.
"""
import json
import logging
import re
import sys
import time
import uuid
from datetime import datetime, timezone
from typing import Optional

from flask import Flask, current_app, g, has_app_context, request

HEADER = "X-Request-Id"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
#: Attributes of every LogRecord: whatever else a caller passes with extra= is written as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def new_id() -> str:
    """A fresh request id."""
    return uuid.uuid4().hex


def current_id() -> Optional[str]:
    """The request id of the running request or live command, if any."""
    return g.get("request_id") if has_app_context() else None


#: What looks like a secret: one-use link secrets (43 URL-safe characters), signed tokens (three dotted parts).
#: Hex digests (audit hashes, request ids) are left alone.
_SECRET = re.compile(r"[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{16,}"
                     r"|(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32,}")


def redact(text: str) -> str:
    """Replace whatever looks like a link secret or a signed token by [secret]."""
    return _SECRET.sub(lambda m: m.group(0) if re.fullmatch(r"[0-9a-f]+", m.group(0)) else "[secret]", text)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and the extra fields; secrets masked.

    A message the development log shows whole (an e-mail with its link, while no SMTP server is configured) is
    written here with the link's secret masked: production logs never hold a reset or invitation link.
    """

    def format(self, record: logging.LogRecord) -> str:
        line = {"ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name, "msg": redact(record.getMessage())}
        request_id = getattr(record, "request_id", None) or current_id()
        if request_id:
            line["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in line:
                line[key] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            line["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


def configure(fmt: str, level: int = logging.INFO) -> None:
    """Send every log record to standard error, as JSON lines or as plain text."""
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # One line per websocket opened or closed would flood the log with thousands of clients.
    logging.getLogger("websockets").setLevel(logging.WARNING)


def init_app(app: Flask) -> None:
    """Give each request an id and log one line when it is answered."""
    if app.config.get("COP_LOG_CONFIGURE"):
        configure(app.config["COP_LOG_FORMAT"])
    log = logging.getLogger("cop.request")

    @app.before_request
    def take_request_id():
        given = request.headers.get(HEADER, "")
        g.request_id = given if _VALID.match(given) else new_id()
        g.request_started, g.request_cpu = time.perf_counter(), time.thread_time()

    @app.after_request
    def log_request(response):
        request_id = g.get("request_id")
        if request_id:
            response.headers[HEADER] = request_id
        if current_app.config.get("COP_LOG_REQUESTS", True):
            started = g.get("request_started", time.perf_counter())
            user = getattr(g.get("_login_user"), "id", None)
            route = request.url_rule.rule if request.url_rule else None
            log.info("request", extra={
                "request_id": request_id, "method": request.method, "route": route,
                "endpoint": request.endpoint, "status": response.status_code, "user_id": user,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                # this request's thread's CPU: the rest of duration_ms is waiting (database, locks, other threads)
                "cpu_ms": round((time.thread_time() - g.get("request_cpu", time.thread_time())) * 1000, 1),
                "bytes": response.calculate_content_length()})
        return response
