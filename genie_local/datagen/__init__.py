"""The demo inventory database of the local Genie space, as INVENTORY_SPACE.md defines it."""

from genie_local.datagen.generator import DataGenerationError, generate

__all__ = ["DataGenerationError", "generate"]
