"""Report writers. `build.build_report` turns a scan into the JSON contract (DESIGN.md); every other
format (text, HTML, SARIF, Markdown, CSV) renders from that one dictionary."""
