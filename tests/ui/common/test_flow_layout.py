"""FlowLayout: rows of controls that wrap when the dock is narrow and join up when it is wide."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from explorer.ui.common.flow_layout import flow_row


def test_wraps_to_the_width_and_reads_left_to_right(qtbot):
    buttons = [QPushButton(text) for text in ("Play", "Stop", "Save WAV…", "Open in explorer")]
    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    row = flow_row(*buttons, spacing=6)
    layout.addWidget(row)
    layout.addStretch(1)
    widths = [b.sizeHint().width() for b in buttons]
    one_line = sum(widths) + 6 * 3

    host.resize(one_line + 10, 200)
    host.show()
    qtbot.waitExposed(host)
    tops = {b.geometry().top() for b in buttons}
    assert len(tops) == 1  # wide: one line
    lefts = [b.geometry().left() for b in buttons]
    assert lefts == sorted(lefts)

    narrow = widths[0] + widths[1] + widths[2] + 6 * 2 + 5  # the last button does not fit
    host.resize(narrow, 200)
    qtbot.waitUntil(lambda: buttons[3].geometry().top() > buttons[0].geometry().top())
    assert buttons[3].geometry().left() == 0  # it starts the next line
    assert row.height() >= 2 * buttons[0].height()
    for b in buttons:  # nothing is cut off or squeezed
        assert b.geometry().right() < row.width()
        assert b.width() == b.sizeHint().width()
    assert row.layout().heightForWidth(narrow) > row.layout().heightForWidth(one_line)
    # never narrower than its widest item
    assert row.minimumSizeHint().width() == max(widths)
