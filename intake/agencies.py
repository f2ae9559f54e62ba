"""The agencies a meeting's office assigns to, and the names people write for them."""

from __future__ import annotations

import re
from collections import defaultdict

from django.db.models import QuerySet

from proposals.models import Agency, Meeting

_REGION_SUFFIX = re.compile(r"(市|州|县|区|自治州|自治县|省)$")


def agencies_of_region(region: str) -> QuerySet[Agency]:
    """The meeting's region's agencies: the seed letters' other cities never crowd a 交办 list."""
    return Agency.objects.filter(region=region).order_by("name")


def agencies_of_meeting(meeting: Meeting) -> QuerySet[Agency]:
    return agencies_of_region(meeting.region)


class AgencyNames:
    """Every way the region's agencies are written: full name, alias, and the full name without
    the region (科学技术局) or with only its level (市科学技术局). Built with two queries."""

    def __init__(self, region: str):
        self.region = region
        self.by_written: dict[str, set[int]] = defaultdict(set)
        self.agencies: dict[int, Agency] = {}
        stem = _REGION_SUFFIX.sub("", region)
        level = region[len(stem):] if stem != region else ""
        for agency in agencies_of_region(region).prefetch_related("aliases"):
            self.agencies[agency.pk] = agency
            forms = {agency.name, *(alias.alias for alias in agency.aliases.all())}
            if agency.name.startswith(region) and len(agency.name) > len(region):
                rest = agency.name[len(region):]
                forms |= {rest, f"{level}{rest}", f"{stem}{rest}"}
            for form in forms:
                self.by_written[form].add(agency.pk)

    def resolve(self, written: str) -> Agency:
        """The one agency `written` names, or ValueError with the reason in Chinese."""
        text = written.strip()
        matches = self.by_written.get(text, set())
        if len(matches) == 1:
            return self.agencies[next(iter(matches))]
        if len(matches) > 1:
            raise ValueError(f"“{text}”对应多个承办单位，请写全称")
        raise ValueError(f"未找到承办单位“{text}”（本地区无此名称或简称；请先在“承办单位”中添加或补充简称）")

    def kind_of(self, agency: Agency) -> str:
        """The name without the region (交通运输局): what agencies of different places share."""
        return agency.name[len(self.region):] if agency.name.startswith(self.region) else agency.name
