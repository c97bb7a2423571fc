"""WSGI entry point (`ilp serve` and production servers)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilp.settings")
application = get_wsgi_application()
