"""Wire shapes: the JSON each resource has on the API (and, later, over MCP)."""
