"""FMA360-364: extension services the application calls (background work, forms and CSRF, locale
selection, mail), attributed wherever their objects are used."""
from __future__ import annotations

from typing import Iterator

from ..api import Hit, Use
from ..registry import flag_uses, on_use, rule
from ._common import FASTAPI, short

EXECUTOR = rule(
    "FMA360", "flask-executor-named-futures", "Flask-Executor named futures",
    "`{name}` keeps futures in Flask-Executor's registry",
    "a `dict` of `concurrent.futures.Future` objects from your own `ThreadPoolExecutor` (or a task queue with result "
    "storage when several workers serve the app); fire-and-forget work becomes `BackgroundTasks`",
    "mandatory", 3, "partial",
    rationale="Flask-Executor stores futures by name so a later request can poll them; FastAPI's `BackgroundTasks` "
    "returns nothing to poll, so the app keeps the futures itself. Like Flask-Executor's, that registry lives in one "
    "process.",
    before="executor.submit_stored('report', build_report)\n...\nfuture = executor.futures.pop('report')\n",
    after="futures: dict[str, Future] = {}\nfutures['report'] = pool.submit(build_report)\n",
    links=(f"{FASTAPI}/tutorial/background-tasks/", "https://docs.python.org/3/library/concurrent.futures.html"),
    extension="Flask-Executor",
)
flag_uses(EXECUTOR, args={f"flask_executor.Executor().{n}": {"name": f"executor.{n}"}
                          for n in ("futures", "submit_stored")})

FORMS = rule(
    "FMA361", "flask-wtf-forms", "Flask-WTF forms and CSRF",
    "`{name}` relies on Flask-WTF's request-bound forms",
    "WTForms with starlette-wtf (`StarletteForm`, `await form.validate_on_submit()`, `CSRFProtectMiddleware`), "
    "or `Form()` parameters validated by Pydantic",
    "mandatory", 1, "partial",
    rationale="`FlaskForm` reads `request.form` and the CSRF token from Flask's session implicitly; "
    "starlette-wtf loads the form from the request asynchronously (`await StarletteForm.from_formdata(request)`) "
    "and needs `SessionMiddleware` plus its `CSRFProtectMiddleware`. Its `validate_on_submit()` is a coroutine: "
    "kept without `await` it is always true, so every submission, forged CSRF token included, passes.",
    before="form = LoginForm()\nif form.validate_on_submit():\n    ...\n",
    after="form = await LoginForm.from_formdata(request)\nif await form.validate_on_submit():\n    ...\n",
    links=("https://github.com/muicss/starlette-wtf", f"{FASTAPI}/tutorial/request-forms/"),
    extension="Flask-WTF",
)


@on_use(FORMS, "flask_wtf.FlaskForm", "flask_wtf.Form")
def _form_class(use: Use) -> Iterator[Hit]:
    """A form class built on Flask-WTF's (`class LoginForm(FlaskForm)`), and each form made from one
    (`form = LoginForm()`, here or in another module: resolution follows the project's subclasses to
    Flask-WTF's class), which loads `request.form` implicitly: starlette-wtf's `await
    LoginForm.from_formdata(request)`. A plain WTForms `Form(request.form)` is given its data and ports as
    it is (its `request.form` is a request finding)."""
    parent = use.node.parent()
    cls = parent.parent() if parent is not None and parent.kind() == "argument_list" else None
    if cls is not None and cls.kind() == "class_definition":
        name = cls.field("name")
        yield Hit(name or use.node, {"name": f"{name.text() if name is not None else '?'}(FlaskForm)"})
    elif use.call is not None:
        yield Hit(use.call, {"name": short(use.call.text(), 40)})


flag_uses(FORMS, args={
    "flask_wtf.FlaskForm().validate_on_submit": {"name": "validate_on_submit()"},
    "flask_wtf.Form().validate_on_submit": {"name": "validate_on_submit()"},
    "flask_wtf.CSRFProtect().exempt": {"name": "csrf.exempt"},
    "flask_wtf.csrf.generate_csrf": {"name": "generate_csrf"},
    "flask_wtf.csrf.validate_csrf": {"name": "validate_csrf"},
})

RECAPTCHA = rule(
    "FMA362", "flask-wtf-recaptcha", "Flask-WTF Recaptcha field",
    "`{name}` is Flask-WTF's reCAPTCHA integration",
    "no equivalent: verify the reCAPTCHA token yourself (a POST to Google's siteverify API in a dependency)",
    "mandatory", 3, "none",
    rationale="starlette-wtf and plain WTForms ship no reCAPTCHA field or validator, and no maintained FastAPI "
    "library provides one: the token is verified by hand against Google's siteverify API.",
    before="class SignupForm(FlaskForm):\n    recaptcha = RecaptchaField()\n",
    after="async def verify_recaptcha(token: Annotated[str, Form(alias='g-recaptcha-response')]):\n    ...\n",
    links=(f"{FASTAPI}/tutorial/dependencies/",),
    extension="Flask-WTF",
)
flag_uses(RECAPTCHA, args={f"flask_wtf.{n}": {"name": n} for n in ("RecaptchaField", "Recaptcha",
                                                                    "recaptcha.RecaptchaField")})

LOCALE = rule(
    "FMA363", "flask-babel-locale", "Flask-Babel locale selection",
    "`{name}` selects or reads the locale through Flask-Babel's request context",
    "middleware that picks the locale per request and stores it in a contextvar (starlette-babel's "
    "`LocaleMiddleware`); the .po/.mo catalogs are reused",
    "mandatory", 3, "partial",
    rationale="Flask-Babel caches the locale on Flask's request context; in FastAPI the locale comes from "
    "middleware and a contextvar, and `gettext` calls keep working once that is set.",
    before="def select_locale():\n    return request.accept_languages.best_match(['en', 'fr'])\n\n"
    "babel = Babel(app, locale_selector=select_locale)\n",
    after="app.add_middleware(LocaleMiddleware, locales=['en', 'fr'], default_locale='en',\n"
    "                   selectors=[LocaleFromHeader(supported_locales=['en', 'fr'])])\n",
    links=("https://github.com/alex-oleshkevich/starlette_babel",),
    extension="Flask-Babel",
)
flag_uses(LOCALE, args={
    **{f"flask_babel.{n}": {"name": n} for n in ("get_locale", "refresh", "force_locale", "get_timezone")},
    **{f"flask_babel.Babel().{n}": {"name": f"babel.{n}"} for n in ("localeselector", "timezoneselector")},
})


@on_use(LOCALE, "flask_babel.Babel", "flask_babel.Babel().init_app")
def _babel_selectors(use: Use) -> Iterator[Hit]:
    # Flask-Babel 3+ takes the selectors as arguments (the decorators above are Flask-Babel 2).
    _, keywords = use.arguments()
    for keyword in ("locale_selector", "timezone_selector"):
        if keyword in keywords:
            yield Hit(keywords[keyword].parent() or use.node, {"name": f"{keyword}="})

MAIL = rule(
    "FMA364", "flask-mail-messages", "Flask-Mail messages",
    "`{name}` sends mail through Flask-Mail",
    "fastapi-mail (`FastMail(conf).send_message(MessageSchema(...))`) or smtplib in `BackgroundTasks`",
    "mandatory", 1, "direct",
    rationale="Flask-Mail reads its configuration from the app and sends synchronously inside the request; "
    "fastapi-mail is async and configured with a `ConnectionConfig`. Its recipients are pydantic `NameEmail` "
    "values, so a bare address goes out with its local part as display name (`To: ada <ada@example.com>`), and "
    "the body is always wrapped in a multipart/mixed message; `fm.record_messages()` replaces "
    "`mail.record_messages()` in tests.",
    before="mail.send(Message('Welcome', recipients=[user.email], body=text))\n",
    after="await fm.send_message(MessageSchema(subject='Welcome', recipients=[user.email], body=text, "
    "subtype='plain'))\n",
    links=("https://sabuhish.github.io/fastapi-mail/", f"{FASTAPI}/tutorial/background-tasks/"),
    extension="Flask-Mail",
)
flag_uses(MAIL, args={"flask_mail.Message": {"name": "Message"},
                      **{f"flask_mail.Mail().{n}": {"name": f"mail.{n}"}
                         for n in ("send", "send_message", "connect", "record_messages")}})
