from qingshen.trail.context import current_client_ip


def client_ip_of(request) -> str | None:
    # Behind the bureau's reverse proxy REMOTE_ADDR is the proxy; trust X-Forwarded-For only when the
    # deployment says so (README: QINGSHEN_TRUST_X_FORWARDED_FOR). The proxy appends the address it saw,
    # so the last entry is the client; the ones before it are whatever the client sent (and a forged
    # or malformed one was a 500 where the address is stored). Not an address: the proxy's own.
    import ipaddress

    from django.conf import settings

    if getattr(settings, "QINGSHEN_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR") or None


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_client_ip.set(client_ip_of(request))
        try:
            return self.get_response(request)
        finally:
            current_client_ip.reset(token)
