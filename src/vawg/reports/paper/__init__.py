"""The board paper: built from data (``build``), rendered as PDF (``pdf``) and Word (``docx``).

>>> from vawg.reports.paper.content import long_date
>>> import datetime as dt; long_date(dt.date(2022, 4, 26))
'26 April 2022'
"""
