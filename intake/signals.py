"""An agency created anywhere (the admin, an import, a letter naming a new agency) starts with the
duty keywords of its kind. Fixtures (raw saves) bring their own."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from intake.services.duties import give_starting_keywords
from proposals.models import Agency


@receiver(post_save, sender=Agency, dispatch_uid="intake_starting_duty_keywords")
def start_with_duty_keywords(sender, instance: Agency, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        give_starting_keywords([instance])
