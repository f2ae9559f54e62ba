"""The member pages' header links that apps above add (the `member_nav_links` hook)."""

from django import template
from django.urls import reverse

from tracker import extensions

register = template.Library()


@register.inclusion_tag("members/nav_links.html")
def member_nav_links():
    return {"links": [(link.name, reverse(link.url_name)) for link in extensions.contributions("member_nav_links")]}
