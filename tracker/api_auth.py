"""The token endpoint: a username and password for a token (POST), and its revocation (DELETE).

Apart from tracker/api.py because DRF's settings import that module (renderer, pagination) while
rest_framework.views is still loading, and a view class needs rest_framework.views loaded.
Brute force is slowed by two throttles: per client address and per username.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.api import (
    StrictInputSerializer,
    TokenAddressThrottle,
    TokenUserThrottle,
    error_responses,
    message,
    no_nul_characters,
    refuse_any_input,
)
from tracker.tokens import issue_token, revoke_token


class CredentialsSerializer(StrictInputSerializer):
    username = serializers.CharField(max_length=150, trim_whitespace=False, validators=[no_nul_characters])
    password = serializers.CharField(max_length=128, trim_whitespace=False, validators=[no_nul_characters],
                                     style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="在请求头中发送 / send as `Authorization: Token <token>`")


class AuthToken(APIView):
    """POST: exchange a username and password for a new token; DELETE: revoke the token in use."""

    throttle_classes = [TokenAddressThrottle, TokenUserThrottle]

    def get_permissions(self):
        return [] if self.request.method == "POST" else super().get_permissions()

    @extend_schema(
        operation_id="auth_token_create", summary="获取令牌 / obtain a token", request=CredentialsSerializer, auth=[],
        responses={200: TokenSerializer, **error_responses(400, 401, 429)}, tags=["auth"],
    )
    def post(self, request):
        serializer = CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request._request, **serializer.validated_data)
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed(message("invalid_credentials"), "invalid_credentials")
        # A new token per sign-in: only its digest is kept, so an earlier one cannot be shown again.
        return Response({"token": issue_token(user=user)})

    @extend_schema(
        operation_id="auth_token_destroy", summary="注销令牌 / revoke the token", request=None,
        responses={204: OpenApiResponse(description="已注销 / revoked"), **error_responses(400, 401)}, tags=["auth"],
    )
    def delete(self, request):
        refuse_any_input(request)
        revoke_token(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)

