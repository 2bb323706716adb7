"""The language of a request: Vietnamese unless the person chose otherwise.

Django's LocaleMiddleware also listens to the browser's ``Accept-Language``, so a clerk whose
Windows is in English would get an English desk. Here the choice is the person's: the language
cookie that the language switch sets, then the language saved on their user, then
``LANGUAGE_CODE`` ("vi"). Runs after authentication so that the saved language is known.
"""

from django.conf import settings
from django.utils import translation


def supported_languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def chosen_language(request) -> str:
    """The language this request is served in (see the module docstring)."""
    supported = supported_languages()
    lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if lang in supported:
        return lang
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        saved = getattr(user, "language", None)
        if saved in supported:
            return saved
    return settings.LANGUAGE_CODE


class DeskLanguageMiddleware:
    """Activate :func:`chosen_language` for the request (after LocaleMiddleware's guess)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lang = chosen_language(request)
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        return self.get_response(request)
