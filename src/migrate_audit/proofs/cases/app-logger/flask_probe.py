import logging

RECORDS = []


class _Recorder(logging.Handler):
    def emit(self, record):
        RECORDS.append([record.levelname, record.getMessage()])


app.logger.addHandler(_Recorder())
