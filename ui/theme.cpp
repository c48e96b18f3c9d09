#include "theme.h"

#include <QApplication>
#include <QSettings>
#include <QStyle>
#include <QWidget>

using namespace Qt::StringLiterals;

namespace {

const auto kKey = u"window/theme"_s;

// The palette Qt started with, before any mode replaced it: what "System" goes back to.
const QPalette &platformPalette()
{
    static const QPalette platform = QApplication::palette();
    return platform;
}

QString themeNamesFromEnvironment()
{
    return qEnvironmentVariable("QT_QPA_PLATFORMTHEME") + u' ' + qEnvironmentVariable("GTK_THEME")
        + u' ' + qEnvironmentVariable("QT_STYLE_OVERRIDE");
}

} // namespace

namespace Theme {

Mode saved()
{
    const QString value = QSettings().value(kKey).toString();
    if (value == u"light"_s)
        return Mode::Light;
    if (value == u"dark"_s)
        return Mode::Dark;
    return Mode::System;
}

void save(Mode mode)
{
    QSettings().setValue(kKey, name(mode));
}

QString name(Mode mode)
{
    switch (mode) {
    case Mode::Light: return u"light"_s;
    case Mode::Dark: return u"dark"_s;
    case Mode::System: break;
    }
    return u"system"_s;
}

bool systemPrefersDark(const QPalette &platform, const QString &themeNames)
{
    return platform.color(QPalette::Window).lightness() < 128
        || themeNames.contains(u"dark"_s, Qt::CaseInsensitive);
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xdf, 0xe1, 0xe5);
    const QColor disabled(0x80, 0x84, 0x8a);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x36, 0x39, 0x3d));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x52));
    p.setColor(QPalette::Midlight, QColor(0x3e, 0x41, 0x45));
    p.setColor(QPalette::Mid, QColor(0x25, 0x27, 0x2a));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0x35, 0x74, 0xc6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb7, 0x94, 0xf6));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Base, window);
    return p;
}

QPalette lightPalette()
{
    // The style's own palette: what the window looks like on a desktop that says nothing.
    return QApplication::style() ? QApplication::style()->standardPalette() : QPalette();
}

QPalette palette(Mode mode, const QPalette &platform, const QString &themeNames)
{
    const bool systemDark = systemPrefersDark(platform, themeNames);
    switch (mode) {
    case Mode::Dark:
        return systemDark && platform.color(QPalette::Window).lightness() < 128 ? platform
                                                                                : darkPalette();
    case Mode::Light: return systemDark ? lightPalette() : platform;
    case Mode::System:
        // A dark GTK theme name with a light palette (Qt without the GTK platform theme): dark.
        return systemDark && platform.color(QPalette::Window).lightness() >= 128 ? darkPalette()
                                                                                 : platform;
    }
    return platform;
}

void apply(Mode mode)
{
    const QPalette target = palette(mode, platformPalette(), themeNamesFromEnvironment());
    if (target == QApplication::palette())
        return;
    QApplication::setPalette(target);
    // A widget under a style sheet keeps the palette it was polished with: set its sheet again
    // so it takes the new one (the profile editor would stay white in a dark window).
    const QList<QWidget *> widgets = QApplication::allWidgets();
    for (QWidget *widget : widgets) {
        const QString sheet = widget->styleSheet();
        if (sheet.isEmpty())
            continue;
        widget->setStyleSheet(QString());
        widget->setStyleSheet(sheet);
    }
}

} // namespace Theme
