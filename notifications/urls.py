"""notifications/ under the API root (tracker/urls.py mounts it at api/v1/)."""

from rest_framework.routers import SimpleRouter

from notifications.api import NotificationViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = router.urls
