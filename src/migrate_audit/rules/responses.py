"""FMA2xx, part 2: building responses (`jsonify`, templates, redirects, files, errors)."""
from __future__ import annotations

from typing import Iterator

from ..engine import Hit, Use
from ..registry import flag_uses, on_use, rule
from ._common import FASTAPI, short

JSONIFY = rule(
    "FMA220", "flask-jsonify", "JSON response built with jsonify",
    "`jsonify(...)` builds a JSON response",
    "return the dict or a Pydantic model (with `response_model=`), or `JSONResponse(content, status_code=...)`",
    "mandatory", 1, "direct",
    rationale="FastAPI serialises returned dicts and models itself. Flask's default JSON provider sorts keys "
    "(`app.json.sort_keys = True`, still the default in Flask 3; `JSON_SORT_KEYS` before 2.3); FastAPI keeps "
    "insertion order (a model's field order): the same JSON value, different text.",
    before="return jsonify(id=book.id, title=book.title)\n",
    after="return {'id': book.id, 'title': book.title}\n",
    links=(f"{FASTAPI}/advanced/response-directly/", f"{FASTAPI}/tutorial/response-model/"),
)
flag_uses(JSONIFY, "flask.jsonify", "flask.json.jsonify")

MAKE_RESPONSE = rule(
    "FMA221", "flask-make-response", "Response object built with make_response",
    "`make_response(...)` builds a response object",
    "build the `Response`/`TemplateResponse`/`JSONResponse` and set headers and cookies on it; an injected "
    "`response: Response` parameter only works when the view returns a dict or model",
    "mandatory", 1, "direct",
    rationale="FastAPI copies the headers and cookies of an injected `response: Response` parameter only onto "
    "a response it builds from a returned dict or model; a view that returns a `Response` itself sends them "
    "nowhere. Starlette's `set_cookie` also adds `SameSite=lax` by default, which Werkzeug's does not.",
    before="resp = make_response(render_template('index.html'))\nresp.set_cookie('seen', '1')\nreturn resp\n",
    after="def index(request: Request):\n    response = templates.TemplateResponse(request, 'index.html')\n"
    "    response.set_cookie('seen', '1')\n    return response\n",
    links=(f"{FASTAPI}/advanced/response-cookies/", f"{FASTAPI}/advanced/response-headers/"),
)
flag_uses(MAKE_RESPONSE, "flask.make_response")

RENDER_TEMPLATE = rule(
    "FMA222", "flask-render-template", "Jinja template rendered with render_template",
    "`{name}(...)` renders a Jinja template",
    "`templates.TemplateResponse(request, name, context)` from `Jinja2Templates(directory=...)`; the endpoint "
    "takes `request: Request`",
    "mandatory", 1, "direct",
    rationale="FastAPI renders Jinja through Starlette's `Jinja2Templates`, which needs the request and does "
    "not inject `g`, `session`, `get_flashed_messages` or `config` into the template context. `request` is "
    "Starlette's: attributes only Flask's has (`request.full_path`, `request.args`) render as nothing or fail.",
    before="return render_template('book.html', book=book)\n",
    after="return templates.TemplateResponse(request, 'book.html', {'book': book})\n",
    links=(f"{FASTAPI}/advanced/templates/",),
)
flag_uses(
    RENDER_TEMPLATE,
    args={
        "flask.render_template": {"name": "render_template"},
        "flask.render_template_string": {"name": "render_template_string"},
    },
)

REDIRECT = rule(
    "FMA223", "flask-redirect", "Redirect built with redirect()",
    "`{call}` redirects with status {code}",
    "`RedirectResponse(url, status_code={code})`: pass the status explicitly, Starlette's default is 307",
    "mandatory", 1, "partial",
    rationale="Flask's `redirect()` answers 302; Starlette's `RedirectResponse` defaults to 307, which keeps "
    "the method and body: a redirect after a POST form re-POSTs instead of loading the page.",
    before="return redirect(url_for('books.index'))\n",
    after="return RedirectResponse(request.url_for('books_index'), status_code=302)\n",
    links=(f"{FASTAPI}/advanced/custom-response/#redirectresponse",),
)


@on_use(REDIRECT, "flask.redirect")
def _redirect(use: Use) -> Iterator[Hit]:
    if use.call is None:
        return
    positional, keywords = use.arguments()
    code_node = keywords.get("code") or (positional[1] if len(positional) > 1 else None)
    code = code_node.text() if code_node is not None else "302"
    yield use.hit(call=short(use.call.text(), 40), code=code)


ABORT = rule(
    "FMA224", "flask-abort", "Request aborted with abort()",
    "`abort(...)` raises a Werkzeug HTTP exception",
    "`raise HTTPException(status_code=..., detail=...)`",
    "mandatory", 1, "direct",
    rationale="The error body changes from Werkzeug's HTML page to FastAPI's `{\"detail\": ...}` JSON.",
    before="abort(404)\n",
    after="raise HTTPException(status_code=404, detail='Book not found')\n",
    links=(f"{FASTAPI}/tutorial/handling-errors/",),
)
flag_uses(ABORT, "flask.abort")

SEND_FILE = rule(
    "FMA225", "flask-send-file", "File sent with send_file / send_from_directory",
    "`{name}(...)` sends a file",
    "`FileResponse(path, filename=..., media_type=...)`; for a folder, join safely "
    "(`werkzeug.security.safe_join`) or mount `StaticFiles`",
    "mandatory", 1, "partial",
    rationale="`send_from_directory` guards against path traversal and answers 404 for a missing file; a naive "
    "`FileResponse(os.path.join(dir, name))` serves files outside the folder and fails with a 500 on a "
    "missing one. In-memory files (`BytesIO`) become `StreamingResponse` or `Response(bytes)`.",
    before="return send_from_directory(app.config['EXPORTS'], name, as_attachment=True)\n",
    after="path = safe_join(settings.exports, name)\nif path is None or not os.path.isfile(path):\n"
    "    raise HTTPException(404)\nreturn FileResponse(path, filename=name)\n",
    links=(f"{FASTAPI}/advanced/custom-response/#fileresponse",),
)
flag_uses(
    SEND_FILE,
    args={"flask.send_file": {"name": "send_file"}, "flask.send_from_directory": {"name": "send_from_directory"}},
)
