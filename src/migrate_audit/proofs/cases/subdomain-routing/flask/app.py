from flask import Flask

app = Flask(__name__, subdomain_matching=True)
app.config["SERVER_NAME"] = "example.com"


@app.get("/")
def home():
    return {"site": "main"}


@app.get("/", subdomain="<tenant>")
def tenant_home(tenant):
    return {"site": "tenant", "tenant": tenant}
