"""Column helpers shared by every model."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.ids import new_id
from app.timeutil import UTCDateTime, utcnow


def id_column() -> Mapped[str]:
    return mapped_column(sa.String(24), primary_key=True, default=new_id)


def fk(target: str, *, nullable: bool = False, ondelete: str = "CASCADE", index: bool = True):
    """A 24-hex foreign key, cascading deletes by default so removing a parent removes its rows."""
    return mapped_column(
        sa.String(24), sa.ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index
    )


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )
