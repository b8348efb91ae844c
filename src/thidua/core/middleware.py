"""Vietnamese first: the language is the one the user chose (language cookie), else their
account's preferred language, else Vietnamese — never guessed from the browser, because officers
on shared office machines with English browsers still expect Vietnamese."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in SUPPORTED:
            user = getattr(request, "user", None)
            preferred = getattr(user, "language", None) if user is not None else None
            language = preferred if preferred in SUPPORTED else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
