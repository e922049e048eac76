"""The audit log: who did what to which object, and when. Written by services."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from inspraak.core.db import JSONType, UTCDateTime, utcnow
from inspraak.extensions import db


class AuditEntry(db.Model):
    """One action by a person, staff member or the system."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)
    corporation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("corporation.id", ondelete="CASCADE"), index=True
    )
    actor_kind: Mapped[str] = mapped_column(sa.String(10), nullable=False)  # staff | tenant | system
    actor_id: Mapped[int | None]
    actor_label: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    action: Mapped[str] = mapped_column(sa.String(80), nullable=False)
    object_type: Mapped[str] = mapped_column(sa.String(80), nullable=False, default="")
    object_id: Mapped[int | None]
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, nullable=False, default=dict)

    __table_args__ = (
        sa.CheckConstraint("actor_kind IN ('staff', 'tenant', 'system')", name="actor_kind"),
    )


def record(
    action: str,
    *,
    actor: Any | None,
    corporation_id: int | None,
    obj: Any | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry to the current transaction.

    Args:
        action: a dotted verb such as ``tenancy.ended`` or ``code.reissued``.
        actor: the staff member or person acting, or None for the system.
        corporation_id: whose log this belongs to.
        obj: the object acted on; its table name and id are stored.
        details: extra facts; never secrets, codes, passwords or vote choices.
    """
    kind = getattr(actor, "audit_kind", "system") if actor is not None else "system"
    entry = AuditEntry(
        corporation_id=corporation_id,
        actor_kind=kind,
        actor_id=getattr(actor, "id", None),
        actor_label=getattr(actor, "audit_label", "") if actor is not None else "",
        action=action,
        object_type=getattr(obj, "__tablename__", "") if obj is not None else "",
        object_id=getattr(obj, "id", None) if obj is not None else None,
        details=details or {},
    )
    db.session.add(entry)
    return entry


def list_entries(corporation_id: int, *, limit: int = 200, offset: int = 0) -> list[AuditEntry]:
    """The newest audit entries of one corporation."""
    stmt = (
        sa.select(AuditEntry)
        .where(AuditEntry.corporation_id == corporation_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(db.session.scalars(stmt))
