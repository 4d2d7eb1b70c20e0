"""Stable URLs for machines: the catalogue, one indicator as CSV or JSON, and the bulk ZIP.

In the spirit of Our World in Data's chart URLs, a link such as
``/api/v1/indicators/IT.NET.USER.ZS.csv?geo=TJ,KG&from=2015&to=2023`` keeps working, so partners
can point their own tools at it. Registered in ``app.create_app``.
"""

from api.v1 import blueprint

__all__ = ["blueprint"]
