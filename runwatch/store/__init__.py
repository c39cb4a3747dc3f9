"""The run store: layout, formats, writer and readers (stdlib only)."""
