import sqlalchemy


def schema():
    inspector = sqlalchemy.inspect(engine)
    return {table: [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)]
            for table in inspector.get_table_names()}
