#!/bin/sh
# Runs a test program on a private X server (xvfb-run) with a system tray (trayer), for the
# window's tray behaviour; exit 77 (CTest: skipped) when either is missing.
command -v xvfb-run >/dev/null && command -v trayer >/dev/null || exit 77
exec xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
    trayer --align right --edge top --height 24 --transparent false >/dev/null 2>&1 &
    tray=$!
    QT_QPA_PLATFORM=xcb "$@"
    code=$?
    kill $tray 2>/dev/null
    exit $code' run-with-tray "$@"
