#include "runstatusbar.h"

#include "engine/abstractengine.h"
#include "secrets/tokenstore.h"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QStatusBar>

using namespace Qt::StringLiterals;

namespace {
QLabel *newLabel(const QString &name, QStatusBar *bar)
{
    auto *label = new QLabel(bar);
    label->setObjectName(name);
    return label;
}
} // namespace

RunStatusBar::RunStatusBar(AbstractEngine *engine, TokenStore *tokens, QStatusBar *bar,
                           QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_tokens(tokens)
    , m_runningLabel(newLabel(u"statusRunning"_s, bar))
    , m_ipcLabel(newLabel(u"statusIpc"_s, bar))
    , m_logLabel(newLabel(u"statusLog"_s, bar))
    , m_tokenLabel(newLabel(u"statusToken"_s, bar))
    , m_budgetLabel(newLabel(u"statusBudget"_s, bar))
{
    bar->addPermanentWidget(m_runningLabel);
    bar->addPermanentWidget(m_tokenLabel);
    bar->addPermanentWidget(m_budgetLabel);
    bar->addPermanentWidget(m_ipcLabel);
    bar->addPermanentWidget(m_logLabel);
}

void RunStatusBar::update()
{
    const RunStatus run = m_engine->status();
    m_runningLabel->setText(tr("%1 of %2 running").arg(run.running).arg(m_engine->processCount()));
    const QString ipc = run.ipcAddress;
    m_ipcLabel->setText(
        ipc.isEmpty() ? tr("IPC: off")
                      : tr("IPC: %1, %n connection(s)", nullptr, run.ipcConnections).arg(ipc));
    const QString log = run.logFile;
    if (log.isEmpty()) {
        m_logLabel->setText(tr("Log: none"));
        m_logLabel->setStyleSheet(QString());
    } else if (run.logFileFailing) {
        m_logLabel->setText(tr("Log: %1 (cannot write)").arg(QFileInfo(log).fileName()));
        m_logLabel->setStyleSheet(u"color: #d02b2b; font-weight: bold"_s);
    } else {
        m_logLabel->setText(
            tr("Log: %1%2")
                .arg(QFileInfo(log).fileName(), run.sessionOpen ? tr(" (writing)") : QString()));
        m_logLabel->setStyleSheet(QString());
    }
    m_logLabel->setToolTip(QDir::toNativeSeparators(log));

    const int budget = run.identifyBudget;
    m_budgetLabel->setVisible(budget >= 0);
    m_budgetLabel->setText(
        tr("Identifies left: %1 of %2").arg(budget).arg(m_engine->gatewayInfo().sessionTotal));
    m_budgetLabel->setStyleSheet(run.autoRestartsPaused ? u"color: #d02b2b; font-weight: bold"_s
                                                        : QString());
    m_budgetLabel->setToolTip(
        run.autoRestartsPaused
            ? tr("Automatic restarts are paused: the day's session starts are running low.")
            : tr("Session starts (identifies) left today; automatic restarts pause under %1.")
                  .arg(run.identifyThreshold));
}

void RunStatusBar::updateToken()
{
    const TokenStore::Status status = m_tokens->status();
    m_tokenLabel->setText(tr("Token: %1").arg(TokenStore::statusText(status)));
    m_tokenLabel->setToolTip(m_tokens->message());
    m_tokenLabel->setStyleSheet(status == TokenStore::Status::Unavailable
                                        || status == TokenStore::Status::Error
                                    ? u"color: #d02b2b"_s
                                    : QString());
}
