# Two commands do everything on a fresh machine: `make run` and `make test`.
# Both create .venv, install what is missing (system packages too when root on Debian/Ubuntu).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

# What the app needs to run (PortAudio for sound, the X/EGL libraries Qt's xcb plugin loads).
RUN_PACKAGES  := libportaudio2 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
                 libxcb-image0 libxcb-render-util0 libxcb-xinerama0 libxcb-randr0 libxcb-shape0 \
                 libegl1 libgl1 libfontconfig1 libdbus-1-3
# What the tests add: a virtual sound card (PulseAudio null sink) and a virtual screen (Xvfb).
TEST_PACKAGES := $(RUN_PACKAGES) pulseaudio pulseaudio-utils libasound2-plugins xvfb xdotool \
                 x11-utils imagemagick desktop-file-utils

.PHONY: run test lint bench setup package system-run system-test clean

run: system-run $(STAMP)
	$(VENV)/bin/audio-explorer $(ARGS)

# Most tests wait on subprocesses, compilers, files and Qt events: they run two at a time
# (pytest-xdist). The ones that time the GUI thread, play real sound or drive real windows under
# Xvfb run alone, after them, on a quiet machine (screenshots on a private Xvfb are not timed:
# they run in parallel). worksteal: an idle worker takes tests queued for the busy one.
SERIAL_TESTS := tests/audio tests/e2e/test_ci_needs_tools.py tests/e2e/test_desktop_launch.py \
                tests/e2e/test_display_instances.py tests/e2e/test_drag_e2e.py \
                tests/e2e/test_gui_e2e.py tests/e2e/test_package.py tests/test_desktop.py tests/ui/playback tests/ui/live \
                tests/ui/state/test_long_files.py tests/ui/analysis/test_background.py \
                tests/ui/dataset/test_view.py tests/ui/map/test_plot.py \
                tests/ui/compare/test_ab_sound.py tests/ui/annotations/test_crash.py \
                tests/ui/files/test_browser_keys.py tests/ui/files/test_files_and_info.py

test: system-test $(STAMP)
	$(VENV)/bin/lint-imports --no-cache
	@# librosa's numba code compiled once, before two test processes would write its cache at once
	$(PY) -c "from explorer.model.analysis.warmup import warm_up; warm_up()"
	$(PY) -m pytest -n 2 --dist worksteal $(PYTEST_ARGS) $(addprefix --ignore=,$(SERIAL_TESTS)) tests
	$(PY) -m pytest $(PYTEST_ARGS) $(SERIAL_TESTS)

lint: $(STAMP)
	$(VENV)/bin/ruff check explorer tests bench

bench: $(STAMP)
	$(PY) bench/run_all.py

setup: $(STAMP)

# A standalone one-folder app in dist/audio-explorer/, then a smoke test of it under Xvfb.
package: system-test $(STAMP)
	$(PY) -m pip install --quiet 'pyinstaller>=6.3'
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller packaging/audio-explorer.spec
	$(PY) -m pytest -q -m package tests/e2e/test_package.py

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

system-run:
	@PACKAGES="$(RUN_PACKAGES)" sh packaging/system-packages.sh

system-test:
	@PACKAGES="$(TEST_PACKAGES)" sh packaging/system-packages.sh

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
