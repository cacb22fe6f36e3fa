"""Domain errors: named exceptions with a message a person can act on, in the reader's language.

A message is raised as a French literal with %(name)s placeholders and their values as keywords:
`raise Conflict("Le § %(n)s a changé.", n=3)`. It is extracted for translation by the class names (babel.cfg) and
translated when it is read, in the language of whoever reads it: the page's reader, or the live connection's
(`message_in`). tests/test_i18n.py refuses an f-string or a variable as the message.
"""
from flask import has_app_context
from flask_babel import force_locale, gettext


def N_(message: str) -> str:
    """Mark a message for extraction where it is not the first argument of an error class (it is translated when
    the error is read)."""
    return message


class Said:
    """A sentence that is not an error of its own (a line problem of a file, a problem of a draft, a number typed
    wrong): a French literal with %(name)s values, said in the reader's language each time it is read.

    `Said("ligne %(line)s : %(problem)s", line=3, problem=Said("valeur obligatoire"))` — values that are
    themselves `Said` are translated too. Extracted by its name (babel.cfg); an f-string is refused
    (tests/test_i18n.py).
    """

    __slots__ = ("template", "params")

    def __init__(self, template: str, **params):
        self.template, self.params = template, params

    def __str__(self) -> str:
        if has_app_context():
            return gettext(self.template, **self.params)
        return self.template % {k: str(v) for k, v in self.params.items()} if self.params else self.template

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))

    def __repr__(self) -> str:
        return f"Said({self.template!r}, {self.params!r})"

    def __eq__(self, other) -> bool:
        if isinstance(other, Said):
            return (self.template, self.params) == (other.template, other.params)
        return str(self) == other

    def __hash__(self) -> int:
        return hash(self.template)

    def __contains__(self, text: str) -> bool:
        return text in str(self)

    def __add__(self, other) -> str:
        return str(self) + str(other)

    def __radd__(self, other) -> str:
        return str(other) + str(self)


class Joined:
    """Several sentences read as one, each in the reader's language: "a ; b ; c"."""

    __slots__ = ("parts", "separator")

    def __init__(self, parts, separator: str = " ; "):
        self.parts, self.separator = list(parts), separator

    def __str__(self) -> str:
        return self.separator.join(str(part) for part in self.parts)


class DomainError(Exception):
    """A refused state change; `status` is the HTTP status a view answers with."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, **params):
        super().__init__(message)
        self.template, self.params = message, params

    @property
    def message(self) -> str:
        """The message in the current language (French outside an app context)."""
        if has_app_context():
            return gettext(self.template, **self.params)
        return self.template % self.params if self.params else self.template

    def said(self) -> Said:
        """The message as a sentence read later, in whoever reads it's language (a line of a list of problems)."""
        return Said(self.template, **self.params)

    def message_in(self, language: str) -> str:
        """The message in a given language (an app context must be active)."""
        with force_locale(language):
            return self.message

    def __str__(self) -> str:
        return self.message


class Forbidden(DomainError):
    """The actor may not do this."""

    status = 403
    code = "forbidden"


class NotFound(DomainError):
    """The thing named does not exist (or is not visible to the actor)."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The row changed since the actor read it."""

    status = 409
    code = "conflict"


class WrongPhase(DomainError):
    """The conference's phase does not allow this."""

    status = 409
    code = "wrong_phase"


class Invalid(DomainError):
    """The input is malformed or out of range."""

    status = 422
    code = "invalid"


class Gone(DomainError):
    """The thing existed but may no longer be used (an expired or already used link)."""

    status = 410
    code = "gone"


class Unavailable(DomainError):
    """A part of the service this server cannot provide right now (a missing system library)."""

    status = 503
    code = "unavailable"


class Throttled(DomainError):
    """Too many actions in a short time, whatever door or connection they came through."""

    status = 429
    code = "throttled"
