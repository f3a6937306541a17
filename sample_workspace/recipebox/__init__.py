"""recipebox: a tiny recipe library (sdd-tui demo workspace)."""

from recipebox.planner import Day, MealPlan, PlannedMeal, Slot
from recipebox.recipes import (
    SHARE_FORMAT,
    SHARE_VERSION,
    Ingredient,
    Recipe,
    RecipeError,
    ShareFormatError,
    create_recipe,
    export_recipe,
    import_recipe,
    share_slug,
)

__all__ = [
    "SHARE_FORMAT",
    "SHARE_VERSION",
    "Day",
    "Ingredient",
    "MealPlan",
    "PlannedMeal",
    "Recipe",
    "RecipeError",
    "ShareFormatError",
    "Slot",
    "create_recipe",
    "export_recipe",
    "import_recipe",
    "share_slug",
]
