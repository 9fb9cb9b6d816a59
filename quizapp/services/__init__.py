"""The verbs of the app. Views and CLI commands call these; services never commit (the caller
wraps them in ``write_transaction``) and never see ``request``: they take plain values."""


class ServiceError(Exception):
    """A request the app understood but must refuse; the message is safe to show a user."""

    status = 400


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class Forbidden(ServiceError):
    status = 403
