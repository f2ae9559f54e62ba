"""The four roles as groups, with the model permissions each needs in the admin.

Row-level limits (an agency sees only its own work) are applied by proposals.access on top.
"""

ROLE_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    "clerk": {
        "proposals": [
            "view_ruleset", "change_ruleset", "add_ruleset",
            "view_meeting", "add_meeting", "change_meeting",
            "view_member", "add_member", "change_member",
            "view_agency", "add_agency", "change_agency",
            "view_agencyalias", "add_agencyalias", "change_agencyalias", "delete_agencyalias",
            "view_agencystaff", "add_agencystaff", "change_agencystaff", "delete_agencystaff",
            "view_notacceptground", "add_notacceptground", "change_notacceptground",
            "view_proposal", "add_proposal", "change_proposal",
            "view_proposer", "add_proposer", "change_proposer", "delete_proposer",
            "view_assignment", "change_assignment",
            "view_extension", "change_extension",
            "view_communication", "add_communication", "change_communication",
            "view_communicationattachment", "add_communicationattachment", "change_communicationattachment",
            "view_event",
        ],
        "tracker": [
            "view_calendaryear", "add_calendaryear", "change_calendaryear",
            "view_calendarday", "add_calendarday", "change_calendarday", "delete_calendarday",
        ],
    },
    "agency_staff": {
        "proposals": [
            "view_proposal", "view_proposer", "view_assignment", "change_assignment",
            "view_extension", "add_extension",
            "view_communication", "add_communication", "change_communication",
            "view_communicationattachment", "add_communicationattachment", "change_communicationattachment",
            "view_event",
        ],
    },
    "agency_reviewer": {
        "proposals": [
            "view_proposal", "view_proposer", "view_assignment", "change_assignment",
            "view_extension", "view_communication", "view_communicationattachment", "view_event",
        ],
    },
    "member": {},
}


def grant_role_permissions(apps, roles: dict[str, dict[str, list[str]]] = ROLE_PERMISSIONS) -> None:
    """Create the groups and add the listed permissions (used by migrations, so `apps` is historical)."""
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_label in {label for grants in roles.values() for label in grants}:
        # Permissions are normally made after migrate; make them now so they can be granted.
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    for role, grants in roles.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, codenames in grants.items():
            permissions = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            group.permissions.add(*permissions)
