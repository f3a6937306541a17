"""Tests for specs/002-meal-planner, user story 1 (named after FR/US ids)."""

from recipebox import Day, MealPlan, Slot, create_recipe


def recipe(title, servings=2):
    return create_recipe(title, servings, [("egg", 2, "pc")], ["Cook."])


def test_us1_assign_recipe_to_slot():
    plan = MealPlan()
    assert plan.assign("monday", "dinner", recipe("Tomato Soup")) is None
    meal = plan.get(Day.MONDAY, Slot.DINNER)
    assert meal.recipe.title == "Tomato Soup"
    assert meal.servings == 2


def test_fr_002_assign_replaces_occupied_slot():
    plan = MealPlan()
    plan.assign(Day.TUESDAY, Slot.LUNCH, recipe("Omelette"))
    previous = plan.assign(Day.TUESDAY, Slot.LUNCH, recipe("Pancakes"))
    assert previous.recipe.title == "Omelette"
    assert plan.get(Day.TUESDAY, Slot.LUNCH).recipe.title == "Pancakes"


def test_fr_003_remove_from_slot():
    plan = MealPlan()
    plan.assign(Day.FRIDAY, Slot.BREAKFAST, recipe("Porridge"))
    assert plan.remove(Day.FRIDAY, Slot.BREAKFAST).recipe.title == "Porridge"
    assert plan.get(Day.FRIDAY, Slot.BREAKFAST) is None
    assert plan.remove(Day.FRIDAY, Slot.BREAKFAST) is None


def test_fr_008_week_view_marks_empty_slots():
    plan = MealPlan()
    plan.assign(Day.WEDNESDAY, Slot.DINNER, recipe("Mushroom Risotto with Peas"))
    lines = plan.week_view().splitlines()
    assert lines[0].split() == ["Day", "Breakfast", "Lunch", "Dinner"]
    assert [line.split()[0] for line in lines[1:]] == [d.label for d in Day]
    assert lines[1].split() == ["Monday", "—", "—", "—"]
    assert lines[3].endswith("Mushroom Risotto wi…")
    assert max(len(line) for line in lines) <= 80
