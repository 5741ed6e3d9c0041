"""Labelling: tiers of intervals, points and boxes drawn on the plots, made from the selection,
edited inline, undone, listed in the Labels dock, saved beside the audio (never losing one)."""

from explorer.ui.common.exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "AnnotationsLink": "link", "AnnotationEditor": "editor", "LabelListPanel": "label_list",
    "TierOverlay": "overlay", "LabelPrompt": "prompt", "LabelActions": "actions"})
