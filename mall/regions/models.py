"""The `regions` table: every province, city and county with its code, coordinates and flags."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mall.extensions import db, enum_column
from mall.regions.domain import (
    MUNICIPALITIES,
    CountyFlags,
    RegionLevel,
    is_eligible_origin,
    province_short_name,
    short_name,
)


class Region(db.Model):
    __tablename__ = "regions"
    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    level: Mapped[RegionLevel] = mapped_column(enum_column(RegionLevel, 10), index=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    longitude: Mapped[float | None]
    latitude: Mapped[float | None]
    is_poverty_county: Mapped[bool] = mapped_column(Boolean, default=False)
    is_national_key: Mapped[bool] = mapped_column(Boolean, default=False)
    is_provincial_key: Mapped[bool] = mapped_column(Boolean, default=False)
    is_counterpart: Mapped[bool] = mapped_column(Boolean, default=False)
    # What the county grows and makes, for its page (from seed data; editable later).
    profile: Mapped[str] = mapped_column(Text, default="")

    # Loaded for a whole page of rows at once (one query per level), not joined into every row.
    parent: Mapped[Region | None] = relationship(remote_side=[code], lazy="selectin", join_depth=2)

    @property
    def flags(self) -> CountyFlags:
        return CountyFlags(
            is_poverty_county=self.is_poverty_county,
            is_national_key=self.is_national_key,
            is_provincial_key=self.is_provincial_key,
            is_counterpart=self.is_counterpart,
        )

    @property
    def is_eligible(self) -> bool:
        return is_eligible_origin(self.flags)

    @property
    def short_name(self) -> str:
        return short_name(self.name)

    @property
    def province(self) -> Region:
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    @property
    def origin_label(self) -> str:
        """'甘肃·安定区': how a product's origin reads on a card."""
        return f"{province_short_name(self.province.name)}·{self.short_name}"

    @property
    def full_name(self) -> str:
        """'甘肃省 定西市 安定区'; municipalities skip their placeholder city level."""
        names: list[str] = []
        node: Region | None = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        names.reverse()
        if self.code[:2] + "0000" in MUNICIPALITIES and len(names) == 3:
            names.pop(1)
        return " ".join(names)

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"
