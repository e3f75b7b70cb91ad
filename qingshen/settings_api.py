"""The REST API's settings: Django REST framework and drf-spectacular (read by qingshen/settings.py)."""


# The REST API (/api/v1/): the browser's session (with CSRF) or a personal token; every view scopes its
# queryset through the domain's scoping, so the permission class only asks for a signed-in user.
def rest_framework(*, page_size: int) -> dict:
    return {
        "DEFAULT_AUTHENTICATION_CLASSES": [
            "qingshen.api.authentication.TokenAuthentication",
            "rest_framework.authentication.SessionAuthentication",
        ],
        "DEFAULT_PERMISSION_CLASSES": [
            "rest_framework.permissions.IsAuthenticated",
            "qingshen.api.permissions.TokenScope",
        ],
        "DEFAULT_PAGINATION_CLASS": "qingshen.api.pagination.PagePagination",
        "PAGE_SIZE": page_size,
        "DEFAULT_FILTER_BACKENDS": ["qingshen.api.filter_fields.BoundedFilterBackend"],
        "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
        "EXCEPTION_HANDLER": "qingshen.api.errors.exception_handler",
        "DEFAULT_THROTTLE_CLASSES": ["qingshen.api.throttling.TokenRateThrottle"],
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    }


SPECTACULAR_SETTINGS = {
    "TITLE": "qingshen API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "state" and a "level": the case's keep these names in the schema.
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "qingshen.cases.states.State",
        "CaseLevelEnum": "qingshen.cases.states.Level",
        "DocumentKindEnum": "qingshen.cases.models.Document.Kind",
        "OptionStatusEnum": "qingshen.cases.models.Option.Status",
        "ImportKindEnum": "qingshen.programmes.models.ImportBatch.Kind",
        "ImportStatusEnum": "qingshen.programmes.models.ImportBatch.Status",
        "ReviewKindEnum": "qingshen.reviews.models.ReviewKind",
        "CaseKindEnum": "qingshen.cases.kinds.CaseKind",
        "MeetingStatusEnum": "qingshen.reviews.models.ReviewMeeting.Status",
        "AuthorityEnum": "qingshen.accounts.roles.Authority",
        "AnnualDisclosureStatusEnum": "qingshen.cases.models.AnnualDisclosure.Status",
    },
    "PREPROCESSING_HOOKS": ["qingshen.api.schema.only_api_paths"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "qingshen.api.schema.translated_info",
        "qingshen.api.error_schema.error_responses",
    ],
}
