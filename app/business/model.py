"""The business profile: name, kind, locations, contact details and time zone."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class BusinessProfile:
    name: str
    kind: str = ""
    locations: str = ""
    website: str = ""
    phone: str = ""
    email: str = ""
    timezone: str = ""
    about: str = ""

    def location_list(self) -> list[str]:
        return [line.strip() for line in self.locations.splitlines() if line.strip()]
