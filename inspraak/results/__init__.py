"""Published results: aggregation rules, small-group privacy, charts and quote checks."""
