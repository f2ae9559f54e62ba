"""How a person is named on pages and letters: their real name, never an account label."""

from django.contrib import admin


def person_name(user) -> str:
    """姓名 as Chinese writes it (family name first, no space); the login name only when the
    account has no name at all."""
    if user is None:
        return ""
    name = f"{user.last_name}{user.first_name}".strip()
    return name or user.get_username()


def person_column(field: str, label):
    """An admin column or read-only field showing the user in `field` by their real name
    (签收人, 起草人, 签发人 …) instead of the login name Django's User prints."""

    @admin.display(description=label, ordering=f"{field}__last_name")
    def column(model_admin, obj):
        return person_name(getattr(obj, field)) or "—"

    column.__name__ = f"{field}_name"
    return column
