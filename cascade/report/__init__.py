"""What the CLI shows: rich views of records, trees, documents, alignments and findings.

`writer.py` is the one writer of rows for JSON, CSV and xlsx.
"""
