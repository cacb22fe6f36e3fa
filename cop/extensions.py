"""Flask extensions, created here and bound to the app in create_app()."""
from flask import has_request_context, request, session
from flask_babel import Babel
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
