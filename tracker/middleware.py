"""People read Chinese: the admin, the member and public pages are in Chinese whatever language the
browser asks for. Only the API follows Accept-Language (its errors come in Chinese or English: docs/domain.md)."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChinesePagesLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        return None
