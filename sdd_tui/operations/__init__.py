"""Operations on a loaded workspace: board moves, history (undo/redo)."""
