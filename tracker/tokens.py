"""API tokens: issued for a username and password, kept as digests, revoked on request.

The key is random (160 bits), so a plain SHA-256 of it is enough to keep it out of reach of
whoever reads the database or a backup; a slow password hash would only slow every API call.
Each sign-in issues a new token (one per device), at most TOKENS_PER_USER kept per person.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from tracker.models import ApiToken

TOKENS_PER_USER = 10


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_token(*, user) -> str:
    """A new token for `user`; the returned key is never stored."""
    key = secrets.token_hex(20)
    ApiToken.objects.create(user=user, digest=token_digest(key))
    stale = ApiToken.objects.filter(user=user).order_by("-created", "-pk").values_list("pk", flat=True)[TOKENS_PER_USER:]
    ApiToken.objects.filter(pk__in=list(stale)).delete()
    return key


def token_for_key(key: str) -> ApiToken | None:
    return ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()


def revoke_token(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).delete()
