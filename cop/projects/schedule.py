"""The projects' reveal job is the seals' one (cop/seals/schedule.py), for projects, commitments and sites."""
from cop.seals.schedule import run, warn  # noqa: F401
