import os

from django.core.wsgi import get_wsgi_application

from qingshen.core.env import first_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingshen.settings")
first_start()  # var/ and the secret key, before the settings are read
application = get_wsgi_application()
