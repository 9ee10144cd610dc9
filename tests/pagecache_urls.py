"""Views that show whether the page cache keeps personal responses to itself (used by test_pagecache)."""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.urls import include, path
from django.views.decorators.cache import never_cache

from newsroom.pagecache import public_page

GREETING = engines["django"].from_string(
    "<p>{% if user.is_authenticated %}Signed in as {{ user.username }}{% else %}Hello reader{% endif %}</p>"
    '<script nonce="{{ request.csp_nonce }}">window.ready = true;</script>'
)


def greeting(request):
    return HttpResponse(GREETING.render({"user": request.user}, request))


def with_form(request):
    return HttpResponse(f'<form method="post"><input name="csrfmiddlewaretoken" value="{get_token(request)}"></form>')


def sets_a_cookie(request):
    response = HttpResponse("<p>Welcome</p>")
    response.set_cookie("seen", "1")
    return response


@never_cache
def marked_private(request):
    return HttpResponse("<p>Only for you</p>")


urlpatterns = [
    path("greeting/", public_page(greeting)),
    path("form/", public_page(with_form)),
    path("cookie/", public_page(sets_a_cookie)),
    path("private/", public_page(marked_private)),
    path("not-public/", greeting),
    path("", include("newsroom.urls")),
]
