"""The ceiling of bench/http_public.py: a minimal Flask page rendered from a Jinja template, nothing else."""
from flask import Flask, render_template
from jinja2 import DictLoader

app = Flask(__name__)
app.jinja_loader = DictLoader({"page.html": (
    "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{{ title }}</title></head>"
    "<body><h1>{{ title }}</h1><ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul></body></html>")})


@app.get("/")
def page():
    """A page with a title and a short list."""
    return render_template("page.html", title="Plafond", items=["un", "deux", "trois"])
