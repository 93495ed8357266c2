from flask import Flask, request
from flask_principal import Identity, Permission, Principal, RoleNeed, identity_loaded

app = Flask(__name__)
app.secret_key = "change-me"
principal = Principal(app, use_sessions=False)
ROLES = {"k-alice": {"admin"}, "k-bob": set()}
admin_permission = Permission(RoleNeed("admin"))


@principal.identity_loader
def identity_from_api_key():
    key = request.headers.get("X-Api-Key")
    return Identity(key) if key in ROLES else None


@identity_loaded.connect_via(app)
def add_roles(sender, identity):
    for role in ROLES.get(identity.id, ()):
        identity.provides.add(RoleNeed(role))


@app.get("/admin/stats")
@admin_permission.require(http_exception=403)
def stats():
    return {"loans": 3}
