"""`cop seal verify` checks projects, commitments and sites alike (cop/seals/verify.py)."""
from cop.seals.verify import verify_all  # noqa: F401
