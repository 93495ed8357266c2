from flask import Flask, render_template
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

app = Flask(__name__)
app.secret_key = "change-me"


class SignupForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=20)])


@app.route("/signup", methods=["GET", "POST"])
def signup():
    form = SignupForm()
    if form.validate_on_submit():
        return render_template("welcome.html", name=form.name.data)
    return render_template("signup.html", form=form), 400 if form.errors else 200
