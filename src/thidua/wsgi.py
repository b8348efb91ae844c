import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
application = get_wsgi_application()
# What is loaded at start (modules, URL patterns, templates, translations) lives as long as the
# process: frozen out of the collector's generations, a full collection no longer walks it on
# every request that allocates much (measured in benchmarks/movements.py, which does the same).
gc.freeze()
