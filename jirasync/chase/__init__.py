"""Chase: prompts before the monthly review and escalation of overdue actions. The review
calendar (``review``), the reminder rules (``reminders``) and the escalation ladder
(``escalation``) and the planner (``plan``) are pure; ``messages`` renders the texts;
``job`` is the use-case, which carries the plan out. May
import the shared top level and the gateway; the pure modules only the model."""
