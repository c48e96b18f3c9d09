#include "launchdetails.h"

#include "engine/abstractengine.h"

#include <QDir>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

LaunchDetails::LaunchDetails(AbstractEngine *engine, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_text(new QPlainTextEdit(this))
{
    setObjectName(u"launchDetails"_s);
    m_text->setObjectName(u"launchText"_s);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setMinimumHeight(fontMetrics().height() * 8);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("<b>Command line and environment</b>"), this));
    layout->addWidget(m_text);

    // What a start uses changes with the plan, the token and (maxShards auto) Discord's answer.
    connect(engine, &AbstractEngine::processesRebuilt, this, &LaunchDetails::refresh);
    connect(engine, &AbstractEngine::processStarted, this, &LaunchDetails::refresh);
    connect(engine, &AbstractEngine::gatewayFetched, this, &LaunchDetails::refresh);
    refresh();
}

void LaunchDetails::setProcess(int process)
{
    m_process = process;
    refresh();
}

QString LaunchDetails::text() const
{
    return m_text->toPlainText();
}

void LaunchDetails::refresh()
{
    const LaunchInfo info = m_engine->launchInfo(m_process);
    if (!info.isValid()) {
        m_text->setPlainText(m_process < 0 ? tr("Select a process in the table.") : QString());
        return;
    }
    QStringList lines;
    lines << u"$ "_s + info.commandLine();
    lines << tr("in %1").arg(QDir::toNativeSeparators(info.workingDirectory));
    lines << QString();
    for (const auto &[name, value] : info.environment)
        lines << u"%1=%2"_s.arg(name, value);
    m_text->setPlainText(lines.join(u'\n'));
}
