"""The office's default reminder plan (docs/domain.md, notices and reminders); the office edits it in the admin afterwards.

Agencies: 30, 7 and 1 days before a due date, the day after it is missed, then weekly.
Clerks: when an agency is 7 days late (催办). Members: when their proposal is accepted, assigned
and replied; invited to a meeting the agency plans with them and reminded the day before; asked
to rate the reply, and reminded 3 days before the feedback window closes.
"""

from __future__ import annotations

DEFAULT_STAGES: list[dict] = [
    {"code": "due-30", "name": "答复期限前30天提醒", "kind": "due_soon", "audience": "agency", "offset_days": -30},
    {"code": "due-7", "name": "答复期限前7天提醒", "kind": "due_soon", "audience": "agency", "offset_days": -7},
    {"code": "due-1", "name": "答复期限前1天提醒", "kind": "due_soon", "audience": "agency", "offset_days": -1},
    {"code": "overdue", "name": "逾期次日提醒，此后每周一次", "kind": "overdue", "audience": "agency", "offset_days": 1,
     "repeat_every_days": 7, "repeat_times": 26},
    {"code": "escalate-7", "name": "逾期7天提请提案办催办", "kind": "escalation", "audience": "clerks", "offset_days": 7},
    {"code": "member-accepted", "name": "立案后告知提出人", "kind": "accepted", "audience": "members",
     "workdays_only": False},
    {"code": "member-assigned", "name": "交办后告知提出人", "kind": "assigned", "audience": "members",
     "workdays_only": False},
    {"code": "member-replied", "name": "答复后告知提出人", "kind": "replied", "audience": "members",
     "workdays_only": False},
    {"code": "meeting-invitation", "name": "沟通邀请", "kind": "meeting_invitation", "audience": "members",
     "workdays_only": False},
    {"code": "meeting-reminder", "name": "沟通前1天提醒", "kind": "meeting_reminder", "audience": "members",
     "offset_days": -1, "workdays_only": False},
    {"code": "feedback-request", "name": "答复后请提出人评价", "kind": "feedback_request", "audience": "members",
     "workdays_only": False},
    {"code": "feedback-reminder", "name": "评价期限前3天提醒", "kind": "feedback_reminder", "audience": "members",
     "offset_days": -3},
]


def install_default_stages(stage_model) -> int:
    """Create the default stages that are missing (by code); never overwrite the office's edits.

    Takes the model class so a data migration can pass its historical model. Returns how many
    were created.
    """
    existing = set(stage_model.objects.values_list("code", flat=True))
    missing = [stage_model(**values) for values in DEFAULT_STAGES if values["code"] not in existing]
    stage_model.objects.bulk_create(missing)
    return len(missing)
