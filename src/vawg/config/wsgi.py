"""WSGI entry point for a production server (and, with its own settings, ``vawg serve``).

A server started on this module with no ``DJANGO_SETTINGS_MODULE`` gets the production
settings, which refuse to start without their secrets and say which is missing: forgetting
the variable must not quietly serve a force's data with the development settings. ``vawg
serve`` chooses ``vawg.config.settings`` itself before importing this module.
"""

import os

from django.core.wsgi import get_wsgi_application

from vawg.config.paths import keep_new_files_private

keep_new_files_private()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vawg.config.production")
application = get_wsgi_application()
