"""Page pagination; every list orders by fields ending in the primary key, so pages are stable."""

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination


class PagePagination(PageNumberPagination):
    page_size_query_param = "page_size"
    page_size_query_description = _("Number of results per page (at most 100).")
    page_query_description = _("Page number, from 1.")
    max_page_size = 100
