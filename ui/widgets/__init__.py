"""Shared widgets, one place for the house style: `basic` (labels, buttons, cards, chips,
tables), `icons` (the one icon set, in the theme's colours), and the bars more than one page
shows (`crisis_bar`, `spike_banner`). The basics are importable from here."""

from ui.widgets.basic import (
    Card,
    LevelChip,
    button,
    clear_layout,
    hold_wrapped_height,
    label,
    level_colour,
    link_button,
    open_web_link,
    plain,
    plain_label,
    primary_button,
    select_by_id,
    show_status,
    spacer,
    tree,
    wrap_list,
)
from ui.widgets.icons import IconBadge, icon

__all__ = [
    "Card",
    "IconBadge",
    "LevelChip",
    "button",
    "clear_layout",
    "hold_wrapped_height",
    "icon",
    "label",
    "level_colour",
    "link_button",
    "open_web_link",
    "plain",
    "plain_label",
    "primary_button",
    "select_by_id",
    "show_status",
    "spacer",
    "tree",
    "wrap_list",
]
