"""Fill a deploy/ template's @@NAME@@ placeholders from an environment file and the environment.

    python deploy/render.py deploy/nginx/cop.conf /etc/cop/cop.env > /etc/nginx/sites-available/cop

LIVE_SERVERS is made from COP_LIVE_ADDRESSES (comma-separated host:port); an unknown placeholder is an error.
"""
import os
import re
import sys
from pathlib import Path


def read_env(path: str) -> dict[str, str]:
    """KEY=value lines (comments and blank lines skipped; quotes around a value removed)."""
    values = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip().strip("'\"")
    return values


def render(template: str, values: dict[str, str]) -> str:
    """The template with every @@NAME@@ replaced; raises KeyError naming a missing value."""
    values = dict(values)
    if "LIVE_SERVERS" not in values and "COP_LIVE_ADDRESSES" in values:
        addresses = [a.strip() for a in values["COP_LIVE_ADDRESSES"].split(",") if a.strip()]
        # A process busy with a storm of joins may let a connect time out: one time-out must not take it out of
        # the pool (two of them took both out during the plenary bench: 303 "no live upstreams" in 10 s). A dead
        # process refuses at once and is still skipped after three refusals.
        values["LIVE_SERVERS"] = "\n".join(f"    server {a} max_fails=3 fail_timeout=5s;" for a in addresses)
    missing = sorted({name for name in re.findall(r"@@([A-Z_]+)@@", template) if name not in values})
    if missing:
        raise KeyError("missing values: " + ", ".join(missing))
    return re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], template)


def main() -> None:
    template, *env_files = sys.argv[1:]
    values = {}
    for env_file in env_files:
        values.update(read_env(env_file))
    values.update({k: v for k, v in os.environ.items() if re.fullmatch(r"[A-Z_]+", k)})
    sys.stdout.write(render(Path(template).read_text(encoding="utf-8"), values))


if __name__ == "__main__":
    main()
