import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
_django = get_wsgi_application()

from thidua.core.public_cache import PublicPageApplication  # noqa: E402 (after Django's setup)

# Stored public pages are answered before Django's request handling (core/public_cache.py).
application = PublicPageApplication(_django)
# What is loaded at start (modules, URL patterns, templates, translations) lives as long as the
# process: frozen out of the collector's generations, a full collection no longer walks it on
# every request that allocates much (measured in benchmarks/movements.py, which does the same).
gc.freeze()
