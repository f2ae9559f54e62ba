"""POST/DELETE /api/v1/auth/token/: a token for a username and password, revoked on request, throttled."""

from __future__ import annotations

import pytest
from tests.api.conftest import client_for
from tracker.models import ApiToken
from tracker.tokens import token_digest

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def password_member(member_user):
    member_user.set_password("s3cret-密码")
    member_user.save(update_fields=["password"])
    return member_user


def test_a_member_exchanges_username_and_password_for_a_token(password_member):
    response = client_for().post(TOKEN_URL, {"username": password_member.username, "password": "s3cret-密码"},
                                 format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    # Kept as its digest only: the database (and every backup of it) holds no usable key.
    assert ApiToken.objects.get(user=password_member).digest == token_digest(token)
    assert not ApiToken.objects.filter(digest=token).exists()
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/proposals/").status_code == 200


def test_a_wrong_password_answers_401_without_saying_which_part_was_wrong(password_member):
    wrong = client_for(language="en").post(TOKEN_URL, {"username": password_member.username, "password": "nope"},
                                           format="json")
    unknown = client_for(language="en").post(TOKEN_URL, {"username": "nobody", "password": "nope"}, format="json")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"code": "invalid_credentials", "detail": "Wrong username or password."}


def test_missing_fields_answer_400_with_field_errors():
    response = client_for().post(TOKEN_URL, {"username": "x"}, format="json")
    assert response.status_code == 400 and "password" in response.json()["fields"]


def test_delete_revokes_the_token(api, member_user):
    assert api.delete(TOKEN_URL).status_code == 204
    assert not ApiToken.objects.filter(user=member_user).exists()
    response = api.get("/api/v1/proposals/")
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"


def test_delete_without_a_token_answers_401():
    assert client_for().delete(TOKEN_URL).status_code == 401


@pytest.fixture
def rates(monkeypatch):
    """Set the token throttles' rates (DRF binds them to the classes when they are defined)."""
    from tracker.api import TokenAddressThrottle, TokenUserThrottle

    def set_rates(address: str, user: str):
        rates = {"token_address": address, "token_user": user}
        monkeypatch.setattr(TokenAddressThrottle, "THROTTLE_RATES", rates)
        monkeypatch.setattr(TokenUserThrottle, "THROTTLE_RATES", rates)

    return set_rates


def test_guessing_one_accounts_password_is_throttled_per_username(password_member, rates):
    rates(address="100/min", user="3/min")
    guesses = [client_for().post(TOKEN_URL, {"username": password_member.username, "password": f"guess{n}"},
                                 format="json", REMOTE_ADDR=f"10.0.0.{n}") for n in range(4)]
    assert [r.status_code for r in guesses] == [401, 401, 401, 429]
    assert guesses[-1].json()["code"] == "throttled" and int(guesses[-1]["Retry-After"]) > 0
    # Even the right password waits: the account is being guessed at.
    right = client_for().post(TOKEN_URL, {"username": password_member.username, "password": "s3cret-密码"},
                              format="json", REMOTE_ADDR="10.0.0.99")
    assert right.status_code == 429


def test_one_address_trying_many_accounts_is_throttled(db, rates):
    rates(address="3/min", user="100/min")
    codes = [client_for().post(TOKEN_URL, {"username": f"user{n}", "password": "x"}, format="json").status_code
             for n in range(4)]
    assert codes == [401, 401, 401, 429]
    # A forged X-Forwarded-For does not reset the count.
    forged = client_for().post(TOKEN_URL, {"username": "other", "password": "x"}, format="json",
                               HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert forged.status_code == 429
