"""Find a period's landing files, sniff encoding and delimiter, stream XLSX as CSV."""
