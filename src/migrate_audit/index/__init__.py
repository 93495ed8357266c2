"""The project index and what keeps it between runs.

A name defined in one module and used in another (`from .extensions import db`) is a Flask object only if
the project says so, so the scan and the flake8 plugin build an index of every module's exports first:

- `summary`: what a scan knows of one file between its phases and between runs (plain data, cheap to load);
- `resolve`: the index itself (`ProjectIndex`) and the binding of one file's imports against it;
- `build`: the index made from every file's summary or analysis, once or again as files change;
- `result_cache`: the scan's per-file summaries and analyses from the last run of the same root;
- `report_cache`: the last whole report of the same scan, reused when none of its inputs changed;
- `plugin_store`: the flake8 plugin's own store of the index, one per project root.

Nothing here imports the engine or the rules at import time: the flake8 plugin's warm lint reads a store and
must stay cheap.
"""
