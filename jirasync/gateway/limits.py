"""Jira's own limits, each written once: how much one request may carry or return."""

BULK_LIMIT = 50          # issues per POST /issue/bulk
RECONCILE_LIMIT = 50     # issue ids in one Cloud search's reconcileIssues
# Issues asked for per search page. Cloud gives at most 5,000, fewer (100 today) when
# fields are asked for, and says so only by the page it returns; Data Center's default
# window (jira.search.views.default.max) is 1,000.
SEARCH_PAGE = {"cloud": 5000, "datacenter": 1000}
CREATE_SCREEN_PAGE = 50  # fields per page of a create screen (createmeta)
USER_PAGE = 100          # Data Center 10 gives at most 100 assignable users a page
USER_SEARCH_MAX = 50     # users asked for by one user search
