"""Each agency starts with the duty keywords of its kind (intake/duty_defaults.py), so a new office
sees suggested lead agencies from its first 交办; the office edits them afterwards in the admin."""

from __future__ import annotations

from collections.abc import Iterable

from intake.duty_defaults import default_keywords_for
from intake.models import AgencyDuty
from proposals.models import Agency


def give_starting_keywords(agencies: Iterable[Agency]) -> int:
    """Starting keywords for each agency that has none yet; never overwrites. How many were given."""
    agencies = list(agencies)
    have = set(AgencyDuty.objects.filter(agency__in=agencies).values_list("agency_id", flat=True))
    given = [AgencyDuty(agency=agency, keywords="、".join(words)) for agency in agencies
             if agency.pk not in have and (words := default_keywords_for(agency.name))]
    AgencyDuty.objects.bulk_create(given)
    return len(given)
