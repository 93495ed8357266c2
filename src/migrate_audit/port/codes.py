"""The rules the port rewrites, by their `Rule` objects: a code is spelled only where its rule is declared."""
from __future__ import annotations

from ..rules.lifecycle import AFTER_REQUEST, BEFORE_REQUEST, ERROR_HANDLER, G_OBJECT, TEARDOWN
from ..rules.request import CLIENT_INFO, FORM, HEADERS_COOKIES, JSON_BODY, QUERY_ARGS
from ..ecosystem import extension_for_module
from ..rules.application import APP_LOGGER
from ..rules.ext_followed import CORS_OPTIONS
from ..rules.responses import ABORT, JSONIFY, MAKE_RESPONSE, REDIRECT, RENDER_TEMPLATE, RESPONSE_OBJECT, TYPING_ALIAS
from ..rules.responses import HTTP_EXCEPTION
from ..rules.routing import APP_CREATED, BLUEPRINT_CREATED, CONVERTER, REGISTER_BLUEPRINT, ROUTE, URL_FOR
from ..rules.silent_changes import BLOCKING_IN_ASYNC, IMPLICIT_HEAD, REDIRECT_AFTER_POST, STRING_RETURN, TUPLE_RETURN
from ..rules.url_map import STRICT_SLASHES

APP = APP_CREATED.code
ROUTE_DECORATOR = ROUTE.code
URL_CONVERTER = CONVERTER.code
BLUEPRINT = BLUEPRINT_CREATED.code
REGISTRATION = REGISTER_BLUEPRINT.code
STRICT = STRICT_SLASHES.code
ARGS = QUERY_ARGS.code
FORM_FIELDS = FORM.code
BODY = JSON_BODY.code
JSONIFY_CALL = JSONIFY.code
TEMPLATE = RENDER_TEMPLATE.code
REDIRECT_CALL = REDIRECT.code
ABORT_CALL = ABORT.code
TUPLE = TUPLE_RETURN.code
STRING = STRING_RETURN.code
POST_REDIRECT = REDIRECT_AFTER_POST.code
HEAD = IMPLICIT_HEAD.code
URL = URL_FOR.code
HEADERS = HEADERS_COOKIES.code
CLIENT = CLIENT_INFO.code
RESPONSE = RESPONSE_OBJECT.code
MAKE = MAKE_RESPONSE.code
ERRORS = ERROR_HANDLER.code
BEFORE = BEFORE_REQUEST.code
AFTER = AFTER_REQUEST.code
TEARDOWN_HOOK = TEARDOWN.code
G = G_OBJECT.code
ALIAS = TYPING_ALIAS.code
BLOCKING = BLOCKING_IN_ASYNC.code
LOGGER = APP_LOGGER.code
CORS = CORS_OPTIONS.code
CORS_IMPORT = extension_for_module("flask_cors").code  # type: ignore[union-attr]
WERKZEUG_EXCEPTION = HTTP_EXCEPTION.code
