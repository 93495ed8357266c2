import sys
import warnings

from gunicorn.util import load_class


def worker(path):
    sys.modules.pop(path.rpartition(".")[0], None)  # a fresh import, as in a starting server
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loaded = load_class(path)
    return {"class": loaded.__name__, "warnings": [str(w.category.__name__) for w in caught]}
