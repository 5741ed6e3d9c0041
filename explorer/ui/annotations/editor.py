"""The current file's labels as the window edits them: a LabelStore (sidecar, journal) and a
QUndoStack whose every command wraps one model Edit, so undo, redo and crash recovery are the
same edits. Views never change labels themselves: they ask the editor."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from explorer.model.annotations.edits import (
    AddLabel,
    AddTier,
    ChangeLabel,
    Edit,
    EditError,
    EditGroup,
    RemoveLabel,
    RemoveTier,
)
from explorer.model.annotations.store import LabelStore
from explorer.model.annotations.tiers import Annotations, Label

#: The tier a new label goes to when the file has none of its kind.
DEFAULT_TIERS = {"interval": "labels", "point": "points", "box": "boxes"}


def describe(edit: Edit) -> str:
    """What an edit did, in words (the undo menu's "Undo …" text)."""
    if isinstance(edit, EditGroup):
        return edit.text or "edit labels"
    if isinstance(edit, AddLabel):
        return f"add label '{edit.label.label}'"
    if isinstance(edit, RemoveLabel):
        return f"delete label '{edit.label.label}'"
    if isinstance(edit, ChangeLabel):
        if edit.old.label != edit.new.label:
            return f"rename '{edit.old.label}' to '{edit.new.label}'"
        return f"move label '{edit.new.label}'"
    return type(edit).__name__


class EditCommand(QUndoCommand):
    """One undo step: redo applies the Edit through the store (journaled), undo its inverse."""

    def __init__(self, editor: AnnotationEditor, edit: Edit, current: tuple[str, Label] | None):
        super().__init__(describe(edit))
        self.editor, self.edit, self.current = editor, edit, current

    def redo(self) -> None:
        if not self.editor.run(self.edit, self.current):
            self.setObsolete(True)  # it no longer fits (the labels changed under it): dropped

    def undo(self) -> None:
        self.editor.run(self.edit.inverse(), None)


class AnnotationEditor(QObject):
    """The labels of the open file (`annotations`, empty when none), their undo stack, and the
    current label (the one Delete, Tab and the list act on)."""

    changed = Signal()  # the labels changed (any edit, undo, load)
    currentChanged = Signal(object)  # (tier name, Label) | None
    failed = Signal(str)  # an edit could not be journaled or applied: what happened, in words

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store: LabelStore | None = None
        self.undo_stack = QUndoStack(self)
        self.current: tuple[str, Label] | None = None
        self._applied = False

    @property
    def annotations(self) -> Annotations:
        return self.store.annotations if self.store is not None else Annotations()

    # ---- the file ---------------------------------------------------------------------------
    def set_store(self, store: LabelStore | None) -> None:
        """Edit another file's labels (its undo history starts empty)."""
        self.undo_stack.clear()
        self.store = store
        self.current = None
        self.changed.emit()
        self.currentChanged.emit(None)

    def replace_all(self, annotations: Annotations, text: str) -> None:
        """Every tier replaced by those of `annotations` as one undoable edit (a reload)."""
        ann = self.annotations
        edits: list[Edit] = [RemoveTier.of(ann, t.name) for t in reversed(ann.tiers)]
        edits += [AddTier(t.name, t.kind, tuple(t.labels)) for t in annotations.tiers]
        self.push(EditGroup(tuple(edits), text))

    # ---- editing ----------------------------------------------------------------------------
    def push(self, edit: Edit, current: tuple[str, Label] | None = None) -> bool:
        """Do `edit` as an undoable step; False (and nothing changed) when it does not apply."""
        if self.store is None:
            self.failed.emit("Open an audio file to label it")
            return False
        self._applied = False
        self.undo_stack.push(EditCommand(self, edit, current))
        return self._applied

    def run(self, edit: Edit, current: tuple[str, Label] | None) -> bool:
        """Apply through the store (the command's redo/undo); the views hear `changed`."""
        if self.store is None:
            return False
        try:
            self.store.apply(edit)
        except EditError as exc:
            self.failed.emit(f"Could not change the labels: {exc}")
            return False
        except OSError as exc:  # the journal could not be written: the edit stands, unsaved
            self.failed.emit(f"Labels not safe on disk yet: {exc}")
        if current is None and self.current is not None and not self.contains(*self.current):
            current = None
        elif current is None:
            current = self.current
        self.current = current
        self._applied = True
        self.changed.emit()
        self.currentChanged.emit(current)
        return True

    def contains(self, tier: str, label: Label) -> bool:
        ann = self.annotations
        return ann.has_tier(tier) and label in ann.tier(tier).labels

    def tier_for(self, kind: str, preferred: str | None = None) -> tuple[str, list[Edit]]:
        """The tier a new label of `kind` goes to (`preferred` when it is of that kind, else the
        first of that kind) and the edits that make it when there is none."""
        ann = self.annotations
        if preferred and ann.has_tier(preferred) and ann.tier(preferred).kind == kind:
            return preferred, []
        for tier in ann.tiers:
            if tier.kind == kind:
                return tier.name, []
        name = DEFAULT_TIERS[kind]
        while ann.has_tier(name):
            name += "+"
        return name, [AddTier(name, kind)]

    def add(self, kind: str, label: Label, preferred: str | None = None) -> tuple[str, Label] | None:
        """A new label (in a new tier when needed), made current; None when it failed."""
        tier, first = self.tier_for(kind, preferred)
        edit: Edit = AddLabel(tier, label)
        if first:
            edit = EditGroup((*first, edit), f"add label '{label.label}' (new tier {tier})")
        return (tier, label) if self.push(edit, (tier, label)) else None

    def change(self, tier: str, old: Label, new: Label) -> bool:
        if new == old:
            return False
        return self.push(ChangeLabel(tier, old, new), (tier, new))

    def rename(self, tier: str, old: Label, text: str) -> bool:
        return self.change(tier, old, replace(old, label=text))

    def remove(self, tier: str, label: Label) -> bool:
        neighbour = self.neighbour(tier, label)
        ok = self.push(RemoveLabel(tier, label), neighbour)
        if ok:
            self.set_current(neighbour)
        return ok

    # ---- the current label ------------------------------------------------------------------
    def set_current(self, current: tuple[str, Label] | None) -> None:
        if current is not None and not self.contains(*current):
            current = None
        if current != self.current:
            self.current = current
            self.currentChanged.emit(current)

    def neighbour(self, tier: str, label: Label) -> tuple[str, Label] | None:
        """The label after `label` in its tier (else the one before): current after a delete."""
        labels = self.annotations.tier(tier).labels if self.annotations.has_tier(tier) else []
        if label not in labels:
            return None
        i = labels.index(label)
        rest = labels[i + 1:i + 2] or labels[max(0, i - 1):i]
        return (tier, rest[0]) if rest else None

    def step(self, tier: str | None, time: float, forward: bool) -> tuple[str, Label] | None:
        """The next (or previous) label of `tier` from `time`: what Tab / Shift+Tab go to."""
        ann = self.annotations
        if tier is None or not ann.has_tier(tier):
            return None
        labels = ann.tier(tier).labels
        current = self.current[1] if self.current and self.current[0] == tier else None
        if current is not None and current in labels:
            i = labels.index(current) + (1 if forward else -1)
            return (tier, labels[i]) if 0 <= i < len(labels) else None
        eps = 1e-6
        if forward:
            after = [lab for lab in labels if lab.start > time + eps]
            return (tier, after[0]) if after else None
        before = [lab for lab in labels if lab.start < time - eps]
        return (tier, before[-1]) if before else None
