"""The live process's garbage collector: the app frozen out of its sight, full collections ten times rarer."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, json, weakref
from cop.live.__main__ import FULL_COLLECTION_RARITY, tune_collector
default = gc.get_threshold()
tune_collector()
class Node: pass
a, b = Node(), Node()
a.other, b.other = b, a  # a cycle that dies old: only a full collection frees it
gone = weakref.ref(a)
for _ in range(3):
    gc.collect(1)  # the young collections promote it without freeing it
del a, b
gc.collect(1)
kept_by_young = gone() is not None
gc.collect(2)
print(json.dumps({"default": default, "tuned": gc.get_threshold(), "frozen": gc.get_freeze_count(),
                  "rarity": FULL_COLLECTION_RARITY, "kept_by_young": kept_by_young, "freed_by_full": gone() is None}))
"""


def test_a_live_process_freezes_the_app_and_collects_old_objects_rarely_but_still():
    # A process of its own: the tuning is process-wide, and pytest's collector must stay as it is.
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         check=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    young, middle, old = figures["default"]
    assert figures["tuned"] == [young, middle, old * figures["rarity"]] and figures["rarity"] > 1
    assert figures["frozen"] > 10_000  # the modules, templates and rulebook loaded at import time
    assert figures["kept_by_young"] and figures["freed_by_full"]
