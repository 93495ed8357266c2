from celery import Celery
from flask_admin import Admin
from flask_login import LoginManager
from flask_marshmallow import Marshmallow
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
migrate = Migrate()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message_category = "info"
ma = Marshmallow()
admin = Admin(name="Bookshelf", template_mode="bootstrap4")
celery = Celery(__name__)
