import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
application = get_asgi_application()
# What is loaded at start (modules, URL patterns, templates, translations) lives as long as the
# process: frozen out of the collector's generations, a full collection no longer walks it on
# every request that allocates much (measured in benchmarks/movements.py, which does the same).
gc.freeze()
