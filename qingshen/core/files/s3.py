"""Documents in an S3-compatible bucket (django-storages), named and read exactly as on disk.

Only the URL differs from django-storages' own: a stored file has no address of its own on the
bucket. Documents go out only through the authorising download view, so `url()` gives the unserved
MEDIA_URL path, as the local storage does, never a signed link that would bypass the scope check and
the download log (the admin shows a file's URL).
"""

from urllib.parse import quote

from django.conf import settings
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        return f"{settings.MEDIA_URL}{quote(name)}"
