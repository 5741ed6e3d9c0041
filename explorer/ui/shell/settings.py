"""Where settings live: the platform's place, or an INI file under $AUDIO_EXPLORER_SETTINGS_DIR."""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QSettings

from explorer.model import SpectrogramParams

ENV = "AUDIO_EXPLORER_SETTINGS_DIR"
ORGANIZATION = "AudioExplorer"
APPLICATION = "Audio Explorer"


def settings() -> QSettings:
    folder = os.environ.get(ENV)
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return QSettings(str(Path(folder) / "audio-explorer.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION,
                     APPLICATION)


def params_to_text(params: SpectrogramParams) -> str:
    return json.dumps(params.to_dict())


def params_from_text(text) -> SpectrogramParams:
    try:
        data = json.loads(text) if text else {}
        return SpectrogramParams(**data)
    except (TypeError, ValueError):
        return SpectrogramParams()
