#pragma once

#include <QPalette>
#include <QString>

// The window's colours: the system's (light or dark, as the desktop says), or light or dark
// whatever it says. Qt 6.4 has no colour scheme API, so the system's choice is read from the
// platform palette (a dark window colour) or the theme's name (QT_QPA_PLATFORMTHEME, GTK_THEME
// containing "dark"). Kept in QSettings "window/theme".
namespace Theme {

enum class Mode { System, Light, Dark };

Mode saved();
void save(Mode mode);
QString name(Mode mode); // "system", "light", "dark"

// Whether the desktop asks for dark colours: platform is the palette Qt started with.
bool systemPrefersDark(const QPalette &platform, const QString &themeNames);
// The palette a mode gives on a desktop whose own palette is platform.
QPalette palette(Mode mode, const QPalette &platform, const QString &themeNames);
QPalette darkPalette();
QPalette lightPalette();

// Sets the application's palette for mode (the log panes follow the change).
void apply(Mode mode);

} // namespace Theme
