import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
application = get_wsgi_application()

# The web server signs every session and CSRF token: with DEBUG off and no SECRET_KEY it would start
# and then answer every request with a 500. Refuse now, saying why. (Management commands that sign
# nothing, such as migrate and check --deploy, still run: settings.py leaves the key empty for them.)
try:
    settings.SECRET_KEY  # noqa: B018 (Django raises here when the key is empty)
except ImproperlyConfigured:
    raise ImproperlyConfigured(
        "未设置 SECRET_KEY：关闭 DEBUG 时网站拒绝启动。请在环境变量中设置一个足够长的随机值，例如 "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'。\n"
        "SECRET_KEY is not set: with DEBUG off the web server refuses to start. Set it in the environment "
        "to a long random value."
    ) from None
