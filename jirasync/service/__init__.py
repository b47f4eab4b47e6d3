"""jirasync as a service (README "8. Run it as a service"): the ``run`` daemon and
``run --once``, their schedule, health, metrics and logs. It may import the top level (config,
jobs, state, stopping), the use-cases (``sync``, ``chase``) and ``prometheus_client`` (only
in ``metrics``)."""
