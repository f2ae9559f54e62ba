"""Matching the names people write for an agency (市科技局) to the agency (广州市科学技术局)."""

from __future__ import annotations

import re

from proposals.models import Agency, AgencyAlias

# Short forms in common use → the words of the full name. Longest first when applied.
ABBREVIATIONS = {
    "发展改革委": "发展和改革委员会",
    "发改委": "发展和改革委员会",
    "工业和信息化局": "工业和信息化局",
    "工信局": "工业和信息化局",
    "经信局": "经济和信息化局",
    "科技局": "科学技术局",
    "人社局": "人力资源和社会保障局",
    "住建局": "住房和城乡建设局",
    "卫健委": "卫生健康委员会",
    "教育局": "教育局",
    "财政局": "财政局",
    "商务局": "商务局",
    "交通局": "交通运输局",
    "规划资源局": "规划和自然资源局",
    "生态环境局": "生态环境局",
    "市场监管局": "市场监督管理局",
    "政务服务数据管理局": "政务服务数据管理局",
    "数据局": "数据局",
}

_LEVEL_PREFIXES = ("市", "州", "县", "区", "省")


def region_prefix(region: str) -> str:
    """广州市 → 广州, 红河州 → 红河: the part people drop before 市/州 in short names."""
    return re.sub(r"(市|州|县|区|自治州|省)$", "", region)


def canonical_name(written: str, region: str) -> str:
    """The full name an agency's written form most likely stands for, within a region.

    市科技局 in 广州市 → 广州市科学技术局; 广州市科学技术局 stays as it is.
    """
    name = written.strip()
    stem = region_prefix(region)
    if name.startswith(region):
        rest = name[len(region):]
    elif stem and name.startswith(stem):
        rest = name[len(stem):]
        rest = rest[1:] if rest[:1] in _LEVEL_PREFIXES else rest
    elif name[:1] in _LEVEL_PREFIXES:
        rest = name[1:]
    else:
        rest = name
    for short in sorted(ABBREVIATIONS, key=len, reverse=True):
        if rest.endswith(short):
            rest = rest[: -len(short)] + ABBREVIATIONS[short]
            break
    return f"{region}{rest}" if region else rest


def resolve_agency(written: str, region: str, *, create: bool = True) -> tuple[Agency | None, bool]:
    """Find the agency a letter names, by full name or alias within the region; create it if new.

    The written form is kept as an alias, so the next letter that writes it the same way matches
    at once. Returns (agency, created).
    """
    written = written.strip()
    alias = AgencyAlias.objects.filter(region=region, alias=written).select_related("agency").first()
    if alias:
        return alias.agency, False
    full = canonical_name(written, region)
    agency = Agency.objects.filter(name__in={written, full}).first()
    created = False
    if agency is None:
        if not create:
            return None, False
        agency, created = Agency.objects.create(name=full, region=region), True
    if written != agency.name:
        AgencyAlias.objects.get_or_create(region=region, alias=written, defaults={"agency": agency})
    return agency, created
