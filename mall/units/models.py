"""The `units` table: budget units and SOEs, linked to a region and a supervising unit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mall.extensions import UtcDateTime, db, enum_column
from mall.regions.models import Region
from mall.units.domain import UNIT_KIND_LABELS, UNIT_STATUS_LABELS, UnitKind, UnitStatus


class Unit(db.Model):
    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    # The supervising unit (主管单位); for an SOE, the unit its spend counts to.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[UnitStatus] = mapped_column(enum_column(UnitStatus), default=UnitStatus.ACTIVE)
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    contact_name: Mapped[str] = mapped_column(String(40), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    region: Mapped[Region] = relationship(lazy="joined")
    parent: Mapped[Unit | None] = relationship(remote_side=[id], foreign_keys=[parent_id])
    successor: Mapped[Unit | None] = relationship(remote_side=[id], foreign_keys=[successor_id])

    @property
    def kind_label(self) -> str:
        return UNIT_KIND_LABELS[self.kind]

    @property
    def status_label(self) -> str:
        return UNIT_STATUS_LABELS[self.status]

    def __repr__(self) -> str:
        return f"<Unit {self.id} {self.name}>"
