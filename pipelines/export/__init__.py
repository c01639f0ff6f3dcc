"""HR outputs that read only the published marts: `kinerja export` (workbooks or CSV per unit)
and, through pipelines.report_html, `kinerja report`."""
