"""Domain errors: named exceptions with a message a person can act on."""


class DomainError(Exception):
    """A refused state change; `status` is the HTTP status a view answers with."""

    status = 400
    code = "invalid"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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
