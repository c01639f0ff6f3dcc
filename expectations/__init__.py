"""Great Expectations suites per source, built in code."""
