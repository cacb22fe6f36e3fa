"""The audit log: an append-only, hash-chained journal of every state change of consequence."""
