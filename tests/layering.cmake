# What each part may include (README "Code layout"), checked on the sources. Run by CTest as
# `cmake -DSOURCE_DIR=... -P`; it names each include that crosses a line it must not.
#  - the engine (app/, main.cpp aside) includes no widget and nothing of models/ or ui/;
#  - models/ include no widget and nothing of ui/;
#  - app/platform/ includes only itself, so a port starts from its headers alone;
#  - models/ and ui/ read the engine through its views: no ShardProcess, no platform/;
#  - models/ and ui/ know the engine as AbstractEngine (it may run in a service, issue 12): only
#    ui/gui.cpp, which creates the window's engine, includes engine/shardengine.h.
set(widgets "#include <(QtWidgets/|QApplication>|QWidget>|QAction>|QMenu|QDialog|QMessageBox|QLabel>|QLineEdit>|QPushButton>|QAbstractItemView>|QTableView>|QTreeView>|QPlainTextEdit>|QTextEdit>|QMainWindow>|QSystemTrayIcon>|QStyle|QToolBar>|QComboBox>|QSpinBox>|QCheckBox>|QBoxLayout>|QHBoxLayout>|QVBoxLayout>|QFormLayout>|QGridLayout>|QScrollArea>|QSplitter>|QTabWidget>)")

file(GLOB ui_headers RELATIVE "${SOURCE_DIR}/ui" "${SOURCE_DIR}/ui/*.h")
file(GLOB model_headers RELATIVE "${SOURCE_DIR}/models" "${SOURCE_DIR}/models/*.h")
list(JOIN ui_headers "|" ui_names)
list(JOIN model_headers "|" model_names)
string(REPLACE "." "\\." ui_names "${ui_names}")
string(REPLACE "." "\\." model_names "${model_names}")

set(offenders "")
# An optional fourth argument: a regex of the files the rule leaves out.
function(check glob pattern why)
    file(GLOB_RECURSE sources ${glob})
    foreach(source IN LISTS sources)
        if(source MATCHES "/app/main\\.cpp$")
            continue() # the program: it picks the window or the headless front end
        endif()
        if(ARGC GREATER 3 AND source MATCHES "${ARGV3}")
            continue()
        endif()
        file(STRINGS "${source}" hits REGEX "${pattern}")
        foreach(hit IN LISTS hits)
            file(RELATIVE_PATH name "${SOURCE_DIR}" "${source}")
            list(APPEND offenders "${name}: ${hit}   (${why})")
        endforeach()
    endforeach()
    set(offenders "${offenders}" PARENT_SCOPE)
endfunction()

check("${SOURCE_DIR}/app/*.[ch]*" "${widgets}|#include \"(${ui_names}|${model_names})\"" "the engine has no widgets")
check("${SOURCE_DIR}/models/*.[ch]*" "${widgets}|#include \"(${ui_names})\"" "models have no widgets")
check("${SOURCE_DIR}/app/platform/*.[ch]*" "#include \"(discord|engine|headless|ipc|output|process|profile|secrets|service|text)/|#include \"(diagnostics|commandline)\\.h" "platform/ includes only itself")
check("${SOURCE_DIR}/models/*.[ch]*" "#include \"(process/shardprocess\\.h|platform/)" "models read the engine's views")
check("${SOURCE_DIR}/ui/*.[ch]*" "#include \"(process/shardprocess\\.h|platform/)" "the window reads the engine's views")
check("${SOURCE_DIR}/models/*.[ch]*" "#include \"engine/shardengine\\.h\"" "models read AbstractEngine")
check("${SOURCE_DIR}/ui/*.[ch]*" "#include \"engine/shardengine\\.h\"" "the window reads AbstractEngine"
    "/ui/gui\\.cpp$")

if(offenders)
    list(JOIN offenders "\n" text)
    message(FATAL_ERROR "includes across the layout's lines:\n${text}")
endif()
message(STATUS "layering: every include stays within its part's lines")
