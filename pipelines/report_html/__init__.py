"""`kinerja report`: the monthly HTML report of a published period (not pipelines/report.py, which
is the summary `kinerja run` prints)."""
