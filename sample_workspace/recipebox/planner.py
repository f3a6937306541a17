"""Weekly meal plan (specs/002-meal-planner), user story 1 in progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from recipebox.recipes import Recipe

EMPTY = "—"
CELL_WIDTH = 20


class Day(Enum):
    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Slot(Enum):
    BREAKFAST = "breakfast"
    LUNCH = "lunch"
    DINNER = "dinner"


@dataclass(frozen=True)
class PlannedMeal:
    recipe: Recipe
    servings: int


@dataclass
class MealPlan:
    meals: dict[tuple[Day, Slot], PlannedMeal] = field(default_factory=dict)

    def assign(self, day: Day | str, slot: Slot | str, recipe: Recipe) -> PlannedMeal | None:
        """Put ``recipe`` in a slot; return the meal it replaced, if any (FR-001, FR-002)."""
        key = (Day(day), Slot(slot))
        previous = self.meals.get(key)
        self.meals[key] = PlannedMeal(recipe, recipe.servings)
        return previous

    def get(self, day: Day | str, slot: Slot | str) -> PlannedMeal | None:
        return self.meals.get((Day(day), Slot(slot)))

    def remove(self, day: Day | str, slot: Slot | str) -> PlannedMeal | None:
        """Empty a slot; return the removed meal, if any (FR-003)."""
        return self.meals.pop((Day(day), Slot(slot)), None)

    def week_view(self) -> str:
        """Plain-text week, Monday first, one row per day (FR-008)."""

        def cell(text: str) -> str:
            if len(text) > CELL_WIDTH:
                text = text[: CELL_WIDTH - 1] + "…"
            return f"{text:<{CELL_WIDTH}}"

        header = f"{'Day':<10}" + "  ".join(cell(s.value.capitalize()) for s in Slot)
        rows = [header.rstrip()]
        for day in Day:
            cells = []
            for slot in Slot:
                meal = self.meals.get((day, slot))
                cells.append(cell(meal.recipe.title if meal else EMPTY))
            rows.append((f"{day.label:<10}" + "  ".join(cells)).rstrip())
        return "\n".join(rows) + "\n"
