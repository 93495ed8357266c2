import sqlalchemy


def schema():
    with app.app_context():
        inspector = sqlalchemy.inspect(db.engine)
        return {table: [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)]
                for table in inspector.get_table_names()}
