"""Access decorators for staff roles and tenants, and the corporation check (duck-typed on the user)."""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable, TypeVar

from flask import abort
from flask_login import current_user

from inspraak.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])


def staff_required(*roles: Any) -> Callable[[F], F]:
    """Only signed-in staff holding one of the roles (any staff role when none is named)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.is_staff:
                abort(403)
            if roles and not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def tenant_required(view: F) -> F:
    """Only signed-in tenants."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.is_staff:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def same_corporation(obj: Any) -> Any:
    """Return obj when it belongs to the signed-in user's corporation; 404 otherwise."""
    if obj is None or getattr(obj, "corporation_id", None) != current_user.corporation_id:
        abort(404)
    return obj


def public(view: F) -> F:
    """Mark a view as open to anonymous visitors; every other view must check who is asking."""
    view.is_public = True  # type: ignore[attr-defined]
    return view
