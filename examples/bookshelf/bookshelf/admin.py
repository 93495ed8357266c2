import os

from flask import abort, redirect, request, url_for
from flask_admin.contrib.fileadmin import FileAdmin
from flask_admin.contrib.sqla import ModelView
from flask_login import current_user

from .extensions import admin, db
from .models import Book, User

# Cover images staff upload (Book.cover_filename names one), served from the static folder.
COVERS = os.path.join(os.path.dirname(__file__), "static", "covers")


class StaffModelView(ModelView):
    def is_accessible(self):
        return current_user.is_authenticated and current_user.is_admin

    def inaccessible_callback(self, name, **kwargs):
        if current_user.is_authenticated:
            abort(403)
        return redirect(url_for("auth.login", next=request.full_path))


class BookAdmin(StaffModelView):
    column_list = ("isbn", "title", "author", "category", "published_year", "price_cents")
    column_searchable_list = ("title", "author", "isbn")
    column_filters = ("category", "published_year")
    column_default_sort = "title"
    form_excluded_columns = ("reviews", "created_at", "cover_filename")
    page_size = 50


class UserAdmin(StaffModelView):
    can_create = False
    column_list = ("email", "display_name", "is_admin", "created_at")
    column_searchable_list = ("email", "display_name")
    form_excluded_columns = ("password_hash", "reviews", "created_at")


admin.add_view(BookAdmin(Book, db.session, category="Catalogue"))
admin.add_view(UserAdmin(User, db.session, category="Accounts"))


class CoverAdmin(FileAdmin):
    allowed_extensions = ("jpg", "jpeg", "png", "webp")

    def is_accessible(self):
        return current_user.is_authenticated and current_user.is_admin


admin.add_view(CoverAdmin(COVERS, "/static/covers/", name="Covers", category="Catalogue"))
