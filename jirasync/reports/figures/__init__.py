"""Every figure of README "7. Reports", computed purely from the programme as read: the
figures' types (``types``, ``carriedover``), their computation (``compute``, with what
is carried over in ``carried``) and recurring-lesson matching (``recurring``). Reports
import from here."""
from jirasync.reports.figures.carried import carried_over, still_open_on
from jirasync.reports.figures.carriedover import CarriedCount, CarriedItem, CarriedOver
from jirasync.reports.figures.compute import (
    action_row,
    actions_state,
    compute,
    days_overdue,
    indicators,
    lessons_identified,
    next_steps,
    trend,
)
from jirasync.reports.figures.recurring import SAME_THEME_TITLE, SAME_TITLE, recurring, similarity
from jirasync.reports.figures.types import (
    ActionRow,
    ActionsState,
    Count,
    Figures,
    Indicators,
    LessonsIdentified,
    Median,
    NextSteps,
    OwnerLoad,
    Rate,
    Recurrence,
    ReleaseFigures,
    ThemeCount,
    TrendPoint,
    key_order,
)

__all__ = [
    "SAME_THEME_TITLE",
    "SAME_TITLE",
    "ActionRow",
    "ActionsState",
    "CarriedCount",
    "CarriedItem",
    "CarriedOver",
    "Count",
    "Figures",
    "Indicators",
    "LessonsIdentified",
    "Median",
    "NextSteps",
    "OwnerLoad",
    "Rate",
    "Recurrence",
    "ReleaseFigures",
    "ThemeCount",
    "TrendPoint",
    "action_row",
    "actions_state",
    "carried_over",
    "compute",
    "days_overdue",
    "indicators",
    "key_order",
    "lessons_identified",
    "next_steps",
    "recurring",
    "similarity",
    "still_open_on",
    "trend",
]
