"""Schemathesis hooks for Guanjia's GraphQL API: a strategy for the custom scalar `NaiveDate`
(schemathesis knows `DateTime` and `JSON`, not this one). Valid business dates and arbitrary
text, which the server must refuse with BAD_USER_INPUT. Used by the run in docs/security.md,
"Hardened input": SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH=<this directory>."""

import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

schemathesis.graphql.scalar(
    "NaiveDate",
    st.one_of(
        st.dates().map(lambda day: nodes.String(day.isoformat())),
        st.text().map(nodes.String),
    ),
)
