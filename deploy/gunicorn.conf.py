"""gunicorn settings for the COP web app: `gunicorn -c deploy/gunicorn.conf.py wsgi:app` (values from cop.env)."""
import faulthandler
import os

#: A worker killed by a fatal signal (SIGSEGV in a C extension…) writes every thread's Python stack to the error log
#: first; the handler is installed in the master and inherited by each forked worker.
faulthandler.enable()

bind = os.environ.get("COP_WEB_BIND", "127.0.0.1:8000")
#: Processes, not threads, serve requests at the same time: 2 per core plus one (each keeps its own cache of public
#: pages; nginx in front buffers slow clients). Several threads per worker crashed workers with SIGSEGV (Python's
#: stack: the ORM creating an instance's weak reference) when 32 clients loaded a meeting's room page at once —
#: 3 crashes in 60 s with 2 workers × 4 threads, none with 4 workers × 1 thread, which also served 74 pages a second
#: instead of 29 (the threads of a worker share one interpreter lock) — see docs/DEPLOY.md.
workers = int(os.environ.get("COP_WEB_WORKERS", 2 * (os.cpu_count() or 1) + 1))
worker_class = "gthread"
threads = int(os.environ.get("COP_WEB_THREADS", 1))
#: SIGTERM: stop accepting, let requests in flight finish (up to graceful_timeout), then leave.
graceful_timeout = int(os.environ.get("COP_WEB_GRACEFUL_SECONDS", 30))
timeout = 60
keepalive = 5
#: Recycle workers now and then (memory held by large exports goes back to the system).
max_requests, max_requests_jitter = 2000, 200
#: The application writes one JSON line per request itself (cop/logs.py): no second access log.
accesslog = None
errorlog = "-"
#: nginx on the same machine (or the addresses of the proxies, comma-separated).
forwarded_allow_ips = os.environ.get("COP_PROXY_IPS", "127.0.0.1")
proc_name = "cop-web"
