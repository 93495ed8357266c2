import os

BASE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir))


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///bookshelf.db")
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    BOOKS_PER_PAGE = int(os.environ.get("BOOKS_PER_PAGE", "20"))
    VAT_RATE = float(os.environ.get("VAT_RATE", "0.07"))
    COVER_UPLOAD_DIR = os.environ.get("COVER_UPLOAD_DIR", os.path.join(BASE_DIR, "covers"))
    EXPORT_DIR = os.environ.get("EXPORT_DIR", os.path.join(BASE_DIR, "exports"))

    CORS_ORIGINS = os.environ.get("CORS_ORIGINS", "http://localhost:3000").split(",")
    CSRF_ENABLED = True

    REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
    CELERY = {
        "broker_url": os.environ.get("CELERY_BROKER_URL", REDIS_URL),
        "result_backend": os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL),
        "task_ignore_result": True,
    }


class DevelopmentConfig(Config):
    DEBUG = True
    SQLALCHEMY_ECHO = os.environ.get("SQLALCHEMY_ECHO") == "1"


class TestingConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    CSRF_ENABLED = False
    BOOKS_PER_PAGE = 2
    CELERY = {**Config.CELERY, "task_always_eager": True}


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


config_by_name = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def get_config(name=None):
    return config_by_name[name or os.environ.get("BOOKSHELF_ENV", "development")]
