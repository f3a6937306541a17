"""Tests for specs/001-recipe-sharing (named after FR/US ids, see constitution V)."""

import json

import pytest

from recipebox import (
    SHARE_FORMAT,
    RecipeError,
    ShareFormatError,
    create_recipe,
    export_recipe,
    import_recipe,
    share_slug,
)


def tomato_soup():
    return create_recipe(
        "Tomato Soup",
        2,
        [("tomato", 6, "pc"), ("onion", 1, "pc"), ("stock", 500, "ml")],
        ["Chop the vegetables.", "Simmer in stock for 20 minutes.", "Blend."],
    )


def test_fr_001_create_recipe():
    recipe = tomato_soup()
    assert recipe.title == "Tomato Soup"
    assert recipe.servings == 2
    assert [i.name for i in recipe.ingredients] == ["tomato", "onion", "stock"]
    assert len(recipe.steps) == 3


@pytest.mark.parametrize(
    ("title", "servings", "ingredients", "field"),
    [
        ("   ", 2, [("egg", 2, "pc")], "title"),
        ("Omelette", 0, [("egg", 2, "pc")], "servings"),
        ("Omelette", 1, [], "ingredients"),
    ],
    ids=["blank-title", "zero-servings", "no-ingredients"],
)
def test_fr_002_rejects_invalid_recipe(title, servings, ingredients, field):
    with pytest.raises(RecipeError) as excinfo:
        create_recipe(title, servings, ingredients, [])
    assert excinfo.value.field == field


def test_fr_003_export_is_versioned_json():
    document = json.loads(export_recipe(tomato_soup()))
    assert document["format"] == SHARE_FORMAT
    assert document["version"] == 1
    assert document["recipe"]["ingredients"][0] == {"name": "tomato", "quantity": 6, "unit": "pc"}


def test_fr_004_import_round_trip_keeps_order():
    recipe = tomato_soup()
    assert import_recipe(export_recipe(recipe)) == recipe


def test_fr_005_share_slug():
    assert share_slug("Tomato Soup") == "tomato-soup"
    assert share_slug("  Crème Brûlée (for 4!) ") == "creme-brulee-for-4"


def test_fr_006_rejects_unknown_version():
    document = json.loads(export_recipe(tomato_soup()))
    document["version"] = 99
    with pytest.raises(ShareFormatError, match="99"):
        import_recipe(json.dumps(document))


def test_us3_import_shared_file(tmp_path):
    shared = tmp_path / "tomato-soup.json"
    shared.write_text(export_recipe(tomato_soup()), encoding="utf-8")
    recipe = import_recipe(shared.read_text(encoding="utf-8"))
    assert recipe.slug == "tomato-soup"
