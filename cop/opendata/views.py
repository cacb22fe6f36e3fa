"""The open data pages: the list of files, the data package, each table as CSV or JSON."""
from flask import Response, abort, jsonify, render_template, request, stream_with_context, url_for

from cop.opendata import bp, writers
from cop.opendata.datapackage import describe
from cop.opendata.catalogue import BY_NAME, TABLES
from cop.public.cache import published

DELIMITERS = {"virgule": ",", "point-virgule": ";"}


@bp.get("/")
@published
def index():
    """Every public table, its description and its downloads."""
    return render_template("opendata/index.html", tables=TABLES)


@bp.get("/datapackage.json")
def datapackage():
    """The Frictionless data package describing every file, under Licence Ouverte 2.0."""
    from cop.audit.anchor import head

    package = describe(lambda name: url_for(".table_csv", name=name, _external=True))
    package["audit_head"] = head()  # the head of the audit chain when the package was taken: keep it
    response = jsonify(package)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _download(name: str, extension: str, mimetype: str, body) -> Response:
    """A streamed download with a file name and open CORS."""
    response = Response(stream_with_context(body), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/<name>.csv")
def table_csv(name: str):
    """A table as CSV, UTF-8; `?separateur=point-virgule` for spreadsheets set to French."""
    table = BY_NAME.get(name) or abort(404)
    delimiter = DELIMITERS.get(request.args.get("separateur", "virgule"))
    if delimiter is None:
        abort(400)
    header = [field[0] for field in table.fields]
    body = writers.csv_stream(header, writers.rows(table.query()), delimiter)
    return _download(name, "csv", "text/csv", body)


@bp.get("/<name>.json")
def table_json(name: str):
    """A table as a JSON array of objects."""
    table = BY_NAME.get(name) or abort(404)
    header = [field[0] for field in table.fields]
    return _download(name, "json", "application/json", writers.json_stream(header, writers.rows(table.query())))
