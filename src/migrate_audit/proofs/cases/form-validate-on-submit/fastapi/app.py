from fastapi import FastAPI, Request
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware
from starlette_wtf import CSRFProtectMiddleware, StarletteForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

app = FastAPI()
app.add_middleware(CSRFProtectMiddleware, csrf_secret="change-me")
app.add_middleware(SessionMiddleware, secret_key="change-me")  # the CSRF check keeps its secret in the session
templates = Jinja2Templates(directory="templates")


class SignupForm(StarletteForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=20)])


@app.api_route("/signup", methods=["GET", "POST"])
async def signup(request: Request):
    form = await SignupForm.from_formdata(request)
    if await form.validate_on_submit():
        return templates.TemplateResponse(request, "welcome.html", {"name": form.name.data})
    return templates.TemplateResponse(request, "signup.html", {"form": form},
                                      status_code=400 if form.errors else 200)
