RECORDS = []


class _Recorder(logging.Handler):
    def emit(self, record):
        RECORDS.append([record.levelname, record.getMessage()])


logger.addHandler(_Recorder())
