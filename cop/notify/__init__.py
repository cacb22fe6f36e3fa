"""Outgoing e-mail through a queue in the database: written with the state change, sent by a worker.

`outbox.enqueue()` adds a message in the caller's transaction (so a message exists exactly when its change was
committed); `worker.run()` (`flask --app wsgi cop mail-worker`) claims due messages with a lease, hands them to
the SMTP server (or prints them in development) and retries with back-off. Delivery is at least once: a worker
killed after the server accepted a message but before recording it sends it again once the lease expires, with
the same Message-ID (derived from the message's idempotency key), so that mail clients show it once.
"""
