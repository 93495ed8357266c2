import sqlalchemy


def state():
    with app.app_context():
        inspector = sqlalchemy.inspect(db.engine)
        with db.engine.connect() as connection:
            version = connection.execute(sqlalchemy.text("SELECT version_num FROM alembic_version")).scalars().all()
        return {"tables": sorted(inspector.get_table_names()), "revision": version}


def flask_db(*args):
    result = app.test_cli_runner().invoke(args=["db", *args])
    return {"exit_code": result.exit_code, **state()}
