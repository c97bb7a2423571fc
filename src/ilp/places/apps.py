"""Django app configuration for `ilp.places`."""

from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "ilp.places"
    label = "places"
