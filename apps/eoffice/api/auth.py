"""Authentication for the REST API: ``Authorization: token KEY:SECRET`` (Frappe's form)."""

from django.utils.deprecation import MiddlewareMixin


class TokenAuthenticationMiddleware(MiddlewareMixin):
    """Sets ``request.user`` from an API token; such requests carry no session and no CSRF."""

    def process_request(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.lower().startswith("token "):
            return None
        from eoffice.doctype.user import ApiKey

        key, _, secret = header[6:].strip().partition(":")
        user = ApiKey.authenticate(key, secret) if key and secret else None
        request.token_auth_failed = user is None
        if user is not None:
            request.user = user
            request._dont_enforce_csrf_checks = True
        return None
