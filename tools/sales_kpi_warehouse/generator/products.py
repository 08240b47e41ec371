"""The optional products table and each deal's main product (``deals.product_id``).

Both are drawn from their own random stream (``[seed, 4, chunk]``), never from the streams of
the other tables, so adding products left every other generated value unchanged. Some deals
have no product (an empty ``product_id``); with defects on, a few open deals name a product
that is not in ``products`` (staged under the ``(unknown)`` product and listed in dq_findings).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

from . import formatting as fmt
from .common import round_half_up
from .config import DEFECT_RATE, MIN_DEFECT_ROWS

#: (product_id, product_name, product_family): a handful of products in three families.
PRODUCTS: Final[tuple[tuple[str, str, str], ...]] = (
    ("P01", "Sakura CRM Cloud", "platform"),
    ("P02", "Sakura Analytics", "platform"),
    ("P03", "Sakura Mobile", "add_on"),
    ("P04", "Sakura Integrations Pack", "add_on"),
    ("P05", "Onboarding Service", "services"),
    ("P06", "Premium Support", "services"),
)

#: How often each product is a deal's main product; the rest of the mass is "no product".
PRODUCT_WEIGHTS: Final[tuple[float, ...]] = (0.30, 0.20, 0.14, 0.10, 0.10, 0.08)

#: A product id of the right shape that no product has.
UNKNOWN_PRODUCT: Final[str] = "P99"

#: The stream number of the products draws (0 dimensions, 1 chunks, 2 defects, 3 planning).
PRODUCT_STREAM: Final[int] = 4


def products_table() -> pa.Table:
    """The products table of the contract."""
    columns = list(zip(*PRODUCTS, strict=True))
    return fmt.build_table(
        "products",
        {
            "product_id": pa.array(columns[0], pa.string()),
            "product_name": pa.array(columns[1], pa.string()),
            "product_family": pa.array(columns[2], pa.string()),
        },
    )


def deal_products(
    seed: int, chunk_index: int, closed: np.ndarray, *, with_defects: bool
) -> tuple[pa.Array, int]:
    """The product_id of each clean deal of a chunk and how many name an unknown product.

    ``closed``: per deal, whether it has a close date. Unknown products go to open deals only:
    the defect rows copy closed deals, so no staged defect row inherits one and the count is
    exact."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, PRODUCT_STREAM, chunk_index]))
    n = len(closed)
    weights = np.array((*PRODUCT_WEIGHTS, 1.0 - sum(PRODUCT_WEIGHTS)))
    pick = rng.choice(len(weights), size=n, p=weights)
    ids = np.array([p[0] for p in PRODUCTS] + [""], dtype=object)[pick]
    unknown = 0
    open_rows = np.flatnonzero(~closed)
    if with_defects and closed.any() and open_rows.size:
        wanted = round_half_up(DEFECT_RATE * n)
        k = min(open_rows.size, max(MIN_DEFECT_ROWS, wanted) if chunk_index == 0 else wanted)
        ids[rng.choice(open_rows, size=k, replace=False)] = UNKNOWN_PRODUCT
        unknown = k
    values = pa.array(ids.tolist(), pa.string())
    return pa.compute.if_else(pa.compute.equal(values, ""), None, values), unknown
