"""Report writers. `build.build_report` turns a scan into the JSON contract (schema/report.schema.json); every other
format (text, HTML, SARIF, Markdown, CSV) renders from that one dictionary."""
