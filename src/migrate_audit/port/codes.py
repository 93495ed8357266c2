"""The rules the port rewrites, by their `Rule` objects: a code is spelled only where its rule is declared."""
from __future__ import annotations

from ..rules.request import FORM, JSON_BODY, QUERY_ARGS
from ..rules.responses import ABORT, JSONIFY, REDIRECT, RENDER_TEMPLATE
from ..rules.routing import APP_CREATED, BLUEPRINT_CREATED, CONVERTER, REGISTER_BLUEPRINT, ROUTE, URL_FOR
from ..rules.silent_changes import IMPLICIT_HEAD, REDIRECT_AFTER_POST, STRING_RETURN, TUPLE_RETURN
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
