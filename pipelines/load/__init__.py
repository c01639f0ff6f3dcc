"""COPY raw text into the warehouse and account for every row."""
