import os

from django.core.asgi import get_asgi_application

from qingshen.core.env import first_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingshen.settings")
first_start()  # var/ and the secret key, before the settings are read
application = get_asgi_application()
