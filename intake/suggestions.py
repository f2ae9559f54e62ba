"""Suggested lead agencies (filled in by step 4)."""


def suggest_lead_agencies_for_many(proposals):
    return {}
