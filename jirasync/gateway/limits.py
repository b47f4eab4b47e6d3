"""Jira's own limits, each written once: how much one request may carry or return."""

BULK_LIMIT = 50          # issues per POST /issue/bulk
RECONCILE_LIMIT = 50     # issue ids in one Cloud search's reconcileIssues
SEARCH_PAGE = 100        # issues asked for per search page
CREATE_SCREEN_PAGE = 50  # fields per page of a create screen (createmeta)
USER_PAGE = 100          # Data Center 10 gives at most 100 assignable users a page
USER_SEARCH_MAX = 50     # users asked for by one user search
