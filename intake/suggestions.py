"""Suggested lead agencies (step 4)."""


def suggest_lead_agencies_for_many(proposals):
    return {}


def suggest_lead_agencies(proposal):
    return []
