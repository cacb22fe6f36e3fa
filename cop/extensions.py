"""Flask extensions, created here and bound to the app in create_app()."""
from flask import g, has_app_context, has_request_context, request, session
from flask_babel import Babel, get_locale, get_translations
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Connectez-vous pour accéder à cette page."
login_manager.login_message_category = "info"
csrf = CSRFProtect()
migrate = Migrate()


def select_locale() -> str:
    """The language chosen with the switch, else the browser's preference among fr and en; French outside requests."""
    if not has_request_context():  # CLI commands and the live server speak French
        return "fr"
    chosen = session.get("lang")
    if chosen in ("fr", "en"):
        return chosen
    return request.accept_languages.best_match(["fr", "en"], default="fr") or "fr"


babel = Babel()


def reader_locale():
    """flask_babel.get_locale(), read where flask_babel keeps it for the request (g._flask_babel.babel_locale): a page
    asks for it at each number and each bilingual name (hundreds of times on a COP's synthesis); None outside an
    app context."""
    if not has_app_context():
        return None
    locale = getattr(g.get("_flask_babel"), "babel_locale", None)
    return locale if locale is not None else get_locale()


def reader_translations():
    """flask_babel.get_translations() for the request's locale, kept beside it (flask_babel looks them up by the
    locale's name at each message: a chart has several per bar)."""
    ctx = g.get("_flask_babel") if has_app_context() else None
    locale = getattr(ctx, "babel_locale", None)
    if locale is None:
        return get_translations()
    kept = getattr(ctx, "cop_translations", None)
    if kept is None or kept[0] is not locale:  # a new locale (flask_babel.refresh()): its own translations
        kept = ctx.cop_translations = (locale, get_translations())
    return kept[1]


def install_gettext(app) -> None:
    """The templates' _(), gettext and ngettext through `reader_translations` (those flask_babel installs find the
    translations anew at each call)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: reader_translations().ugettext(s),
        ngettext=lambda s, p, n: reader_translations().ungettext(s, p, n),
        pgettext=lambda c, s: reader_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: reader_translations().unpgettext(c, s, p, n),
        newstyle=True)
