"""Chase: prompts before the monthly review and escalation of overdue actions. The review
calendar (``review``), reminder rules (``reminders``), escalation ladder (``escalation``)
and planner (``plan``) are pure and import only the model; ``messages`` renders the texts;
``job``, the use-case, reads the actions and plans, and ``send`` carries the plan out; both
may import the shared top level, the answers (read first) and the gateway's data, and see
Jira through ``port``."""
