"""jirasync: runs a programme's lessons-learnt process on Jira.

The capabilities are folders (``sync``, ``chase``, ``check``, ``reports``, ``gateway``,
``sandbox``, ``commands``); what they all share sits here at the top. How the layers may
import one another is written, and checked, in ``tests/test_layers.py``."""

__version__ = "0.1.0"
