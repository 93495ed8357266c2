import sqlalchemy
from alembic.config import main as alembic_main


def state():
    inspector = sqlalchemy.inspect(engine)
    with engine.connect() as connection:
        version = connection.execute(sqlalchemy.text("SELECT version_num FROM alembic_version")).scalars().all()
    return {"tables": sorted(inspector.get_table_names()), "revision": version}


def alembic(*args):
    try:
        alembic_main(argv=list(args))
        exit_code = 0
    except SystemExit as exc:
        exit_code = exc.code
    return {"exit_code": exit_code, **state()}
