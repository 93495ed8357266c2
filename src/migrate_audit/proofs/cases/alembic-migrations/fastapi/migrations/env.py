from alembic import context
from sqlalchemy import engine_from_config, pool

from app import DATABASE_URL, Base

# Alembic's generic env.py, less the logging set-up (fileConfig) and offline mode: the URL and the metadata
# come from the application module instead of Flask's current_app.
config = context.config
config.set_main_option("sqlalchemy.url", DATABASE_URL)


def run_migrations_online():
    connectable = engine_from_config(config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.",
                                     poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
