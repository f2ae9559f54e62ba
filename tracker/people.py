"""How a person is named on pages and letters: their real name, never an account label."""


def person_name(user) -> str:
    """姓名 as Chinese writes it (family name first, no space); the login name only when the
    account has no name at all."""
    if user is None:
        return ""
    name = f"{user.last_name}{user.first_name}".strip()
    return name or user.get_username()
