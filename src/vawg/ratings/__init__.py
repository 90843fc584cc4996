"""Statistical process control ratings (NHS "Making Data Count", XmR charts). Pure Python.

Rate a monthly or quarterly series and get its mean, process limits, special-cause flags,
variation and assurance signals, and a red/amber/green rating with the reason in words::

    from vawg.ratings import Polarity, RatingSettings, rate_series
    rating = rate_series([("2019-01", 12.0), ("2019-02", None), ...],
                         RatingSettings(polarity=Polarity.DOWN, target=20.0))
    rating.rag, rating.reason, rating.to_dict()

Modules: ``series`` (types, periods, tolerance), ``xmr`` (mean, moving ranges, limits),
``rules`` (the four special-cause rules), ``signals`` (point type, assurance), ``rag`` (THE
RAG rule, ``RAG_RULE``), ``rate`` (``rate_series``), ``csv_input`` (read ``period,value``).
"""

from vawg.ratings.csv_input import SeriesInputError, read_series_csv
from vawg.ratings.rag import RAG_RULE
from vawg.ratings.rate import rate_series
from vawg.ratings.series import Polarity, RatedPoint, Rating, RatingSettings, Segment

__all__ = [
    "RAG_RULE",
    "Polarity",
    "RatedPoint",
    "Rating",
    "RatingSettings",
    "Segment",
    "SeriesInputError",
    "rate_series",
    "read_series_csv",
]
