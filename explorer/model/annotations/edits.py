"""Every change to annotations is an Edit: it applies itself, knows its inverse (undo) and is a
JSON line of the journal (so a crash replays it). The window's undo commands wrap these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from explorer.model.annotations.serial import label_from_dict, label_to_dict
from explorer.model.annotations.tiers import Annotations, Label, Tier


class EditError(ValueError):
    """An edit that does not fit the annotations it is applied to (a missing tier or label)."""


@dataclass(frozen=True)
class Edit:
    """The base: subclasses set `op` (the journal's name for them) and implement the three."""

    op: ClassVar[str] = ""

    def apply(self, ann: Annotations) -> None:
        raise NotImplementedError

    def inverse(self) -> Edit:
        raise NotImplementedError

    def to_json(self) -> dict[str, Any]:
        raise NotImplementedError

    @staticmethod
    def from_json(d: dict[str, Any]) -> Edit:
        try:
            kind = _OPS[d["op"]]
        except (KeyError, TypeError):
            raise EditError(f"not an edit: {d!r:.80}") from None
        try:
            return kind._from_json(d)
        except (KeyError, TypeError, ValueError) as exc:
            raise EditError(f"a damaged {d.get('op')} edit: {exc}") from None

    @classmethod
    def _from_json(cls, d: dict[str, Any]) -> Edit:
        raise NotImplementedError


def _tier(ann: Annotations, name: str) -> Tier:
    try:
        return ann.tier(name)
    except KeyError as exc:
        raise EditError(str(exc)) from None


def _remove(tier: Tier, label: Label) -> None:
    try:
        tier.remove(label)
    except KeyError as exc:
        raise EditError(str(exc).strip("'\"")) from None


@dataclass(frozen=True)
class _OneLabel(Edit):
    """An edit of one label of one tier (added or removed): the same journal line."""

    tier: str
    label: Label

    def to_json(self) -> dict[str, Any]:
        return {"op": self.op, "tier": self.tier, "label": label_to_dict(self.label)}

    @classmethod
    def _from_json(cls, d: dict[str, Any]) -> Edit:
        return cls(str(d["tier"]), label_from_dict(d["label"]))


@dataclass(frozen=True)
class AddLabel(_OneLabel):
    op: ClassVar[str] = "add_label"

    def apply(self, ann: Annotations) -> None:
        _tier(ann, self.tier).add(self.label)

    def inverse(self) -> Edit:
        return RemoveLabel(self.tier, self.label)


@dataclass(frozen=True)
class RemoveLabel(_OneLabel):
    op: ClassVar[str] = "remove_label"

    def apply(self, ann: Annotations) -> None:
        _remove(_tier(ann, self.tier), self.label)

    def inverse(self) -> Edit:
        return AddLabel(self.tier, self.label)


@dataclass(frozen=True)
class ChangeLabel(Edit):
    """A new text, new times (a dragged edge) or a new band: old is replaced by new."""

    tier: str
    old: Label
    new: Label
    op: ClassVar[str] = "change_label"

    def apply(self, ann: Annotations) -> None:
        tier = _tier(ann, self.tier)
        _remove(tier, self.old)
        tier.add(self.new)

    def inverse(self) -> Edit:
        return ChangeLabel(self.tier, self.new, self.old)

    def to_json(self) -> dict[str, Any]:
        return {"op": self.op, "tier": self.tier, "old": label_to_dict(self.old),
                "new": label_to_dict(self.new)}

    @classmethod
    def _from_json(cls, d: dict[str, Any]) -> Edit:
        return cls(str(d["tier"]), label_from_dict(d["old"]), label_from_dict(d["new"]))


@dataclass(frozen=True)
class _WholeTier(Edit):
    """A tier with its kind, labels and place (added, or removed so that undo restores it):
    the same journal line."""

    name: str
    kind: str = "interval"
    labels: tuple[Label, ...] = ()
    index: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"op": self.op, "name": self.name, "kind": self.kind, "index": self.index,
                "labels": [label_to_dict(x) for x in self.labels]}

    @classmethod
    def _from_json(cls, d: dict[str, Any]) -> Edit:
        return cls(str(d["name"]), str(d.get("kind", "interval")),
                   tuple(label_from_dict(x) for x in d.get("labels", ())), d.get("index"))


@dataclass(frozen=True)
class AddTier(_WholeTier):
    """A new tier at `index` (None: last), with labels when it undoes a RemoveTier."""

    op: ClassVar[str] = "add_tier"

    def apply(self, ann: Annotations) -> None:
        if ann.has_tier(self.name):
            raise EditError(f"there is already a tier named {self.name!r}")
        tier = Tier(self.name, self.kind, list(self.labels))
        ann.tiers.insert(len(ann.tiers) if self.index is None else self.index, tier)

    def inverse(self) -> Edit:
        return RemoveTier(self.name, self.kind, self.labels, self.index)


@dataclass(frozen=True)
class RemoveTier(_WholeTier):
    """Removes a tier; it carries the tier's labels and place so that undo restores them.
    `RemoveTier.of(ann, name)` builds it from the current state."""

    op: ClassVar[str] = "remove_tier"

    @classmethod
    def of(cls, ann: Annotations, name: str) -> RemoveTier:
        tier = _tier(ann, name)
        return cls(name, tier.kind, tuple(tier.labels), ann.tiers.index(tier))

    def apply(self, ann: Annotations) -> None:
        tier = _tier(ann, self.name)
        ann.tiers.remove(tier)

    def inverse(self) -> Edit:
        return AddTier(self.name, self.kind, self.labels, self.index)


@dataclass(frozen=True)
class RenameTier(Edit):
    old: str
    new: str
    op: ClassVar[str] = "rename_tier"

    def apply(self, ann: Annotations) -> None:
        if self.new != self.old and ann.has_tier(self.new):
            raise EditError(f"there is already a tier named {self.new!r}")
        _tier(ann, self.old).name = self.new

    def inverse(self) -> Edit:
        return RenameTier(self.new, self.old)

    def to_json(self) -> dict[str, Any]:
        return {"op": self.op, "old": self.old, "new": self.new}

    @classmethod
    def _from_json(cls, d: dict[str, Any]) -> Edit:
        return cls(str(d["old"]), str(d["new"]))


@dataclass(frozen=True)
class EditGroup(Edit):
    """Several edits as one step (one undo): applied in order, undone in reverse. All or nothing:
    when one fails, those before it are undone."""

    edits: tuple[Edit, ...]
    text: str = ""
    op: ClassVar[str] = "group"

    def apply(self, ann: Annotations) -> None:
        done: list[Edit] = []
        try:
            for edit in self.edits:
                edit.apply(ann)
                done.append(edit)
        except EditError:
            for edit in reversed(done):
                edit.inverse().apply(ann)
            raise

    def inverse(self) -> Edit:
        return EditGroup(tuple(e.inverse() for e in reversed(self.edits)), self.text)

    def to_json(self) -> dict[str, Any]:
        return {"op": self.op, "text": self.text, "edits": [e.to_json() for e in self.edits]}

    @classmethod
    def _from_json(cls, d: dict[str, Any]) -> Edit:
        return cls(tuple(Edit.from_json(x) for x in d["edits"]), str(d.get("text", "")))


_OPS: dict[str, type[Edit]] = {k.op: k for k in (AddLabel, RemoveLabel, ChangeLabel, AddTier,
                                                 RemoveTier, RenameTier, EditGroup)}
