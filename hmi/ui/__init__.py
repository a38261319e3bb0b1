"""The operator window (PySide6). Only this package and the composition root import Qt.

Widgets read state through the Runtime's services and awaited store calls; nothing here
does blocking I/O on the GUI thread.
"""
