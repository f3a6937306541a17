"""Recipes and the share format (specs/001-recipe-sharing)."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

SHARE_FORMAT = "recipebox/share"
SHARE_VERSION = 1


class RecipeError(ValueError):
    """A recipe failed validation (FR-002). ``field`` names the offending field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class ShareFormatError(ValueError):
    """A share document cannot be imported (FR-006)."""


@dataclass(frozen=True)
class Ingredient:
    name: str
    quantity: float
    unit: str


@dataclass(frozen=True)
class Recipe:
    title: str
    servings: int
    ingredients: tuple[Ingredient, ...]
    steps: tuple[str, ...]

    @property
    def slug(self) -> str:
        return share_slug(self.title)


def create_recipe(
    title: str,
    servings: int,
    ingredients: list[tuple[str, float, str]] | list[Ingredient],
    steps: list[str],
) -> Recipe:
    """Create a validated recipe (FR-001, FR-002)."""
    if not title or not title.strip():
        raise RecipeError("title", "must not be blank")
    if servings < 1:
        raise RecipeError("servings", "must be at least 1")
    if not ingredients:
        raise RecipeError("ingredients", "at least one ingredient is required")
    items = tuple(i if isinstance(i, Ingredient) else Ingredient(*i) for i in ingredients)
    for item in items:
        if item.quantity <= 0:
            raise RecipeError("ingredients", f"quantity of {item.name!r} must be positive")
    return Recipe(title.strip(), servings, items, tuple(steps))


def share_slug(title: str) -> str:
    """Lower-case ASCII words joined by hyphens (FR-005)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_title.lower()))


def export_recipe(recipe: Recipe) -> str:
    """Serialise a recipe to the versioned share document (FR-003)."""
    document = {
        "format": SHARE_FORMAT,
        "version": SHARE_VERSION,
        "slug": recipe.slug,
        "recipe": {
            "title": recipe.title,
            "servings": recipe.servings,
            "ingredients": [
                {"name": i.name, "quantity": i.quantity, "unit": i.unit} for i in recipe.ingredients
            ],
            "steps": list(recipe.steps),
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def import_recipe(text: str) -> Recipe:
    """Parse a share document back into an equal recipe (FR-004, FR-006)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ShareFormatError(f"not a share document: {exc.msg}") from exc
    if not isinstance(document, dict):
        raise ShareFormatError("not a share document: expected a JSON object")
    if document.get("format") != SHARE_FORMAT:
        raise ShareFormatError(f"unknown format {document.get('format')!r}")
    version = document.get("version")
    if version != SHARE_VERSION:
        raise ShareFormatError(f"unsupported share version {version!r} (expected {SHARE_VERSION})")
    data = document["recipe"]
    return create_recipe(
        data["title"],
        data["servings"],
        [Ingredient(i["name"], i["quantity"], i["unit"]) for i in data["ingredients"]],
        data["steps"],
    )
