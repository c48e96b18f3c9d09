#include "profileeditor.h"

#include "argumentsedit.h"
#include "gatewaypanel.h"
#include "planpreview.h"
#include "timestamppreview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QPushButton>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScopedValueRollback>
#include <QScrollArea>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Profile::validate() allows up to this many shards; the spin box stops at the same place.
constexpr int kMaxShards = 100000;
// Times are in milliseconds; six hours is far beyond any sensible wait, timeout or window.
constexpr int kMaxMs = 6 * 60 * 60 * 1000;
constexpr int kMaxRestarts = 10000;
// Memory is edited in decimal megabytes, as the defaults (1.5 GB, 1.9 GB) are written.
constexpr qint64 kBytesPerMb = 1000 * 1000;
constexpr int kMaxMemoryMb = 1000 * 1000;

QString named(const QString &prefix, const QString &key)
{
    return prefix + key;
}

QString toolTipFor(const QString &key, const QString &sentence)
{
    // Rich text so a long tooltip wraps instead of running across the screen.
    return u"<p><b>%1</b> \u2014 %2</p>"_s.arg(key, sentence.toHtmlEscaped());
}

int toMegabytes(qint64 bytes)
{
    return int(std::clamp<qint64>((bytes + kBytesPerMb / 2) / kBytesPerMb, 0, kMaxMemoryMb));
}

QWidget *hBox(std::initializer_list<QWidget *> widgets, bool stretch)
{
    auto *line = new QWidget;
    auto *layout = new QHBoxLayout(line);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    for (QWidget *widget : widgets)
        layout->addWidget(widget);
    if (stretch)
        layout->addStretch(1);
    return line;
}

QSpinBox *makeSpinBox(int minimum, int maximum, int step, const QString &suffix)
{
    auto *spin = new QSpinBox;
    spin->setRange(minimum, maximum);
    spin->setSingleStep(step);
    spin->setSuffix(suffix);
    spin->setGroupSeparatorShown(maximum > 65535);
    spin->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    // Focus by click or tab only: the wheel belongs to the scrolling form (see eventFilter).
    spin->setFocusPolicy(Qt::StrongFocus);
    spin->setMinimumWidth(std::max(spin->sizeHint().width(), 120)); // one width, aligned edges
    return spin;
}

} // namespace

ProfileEditor::ProfileEditor(QWidget *parent)
    : QWidget(parent)
{
    // Problem colours readable on light and dark palettes alike.
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    const QString red = dark ? u"#ff8a80"_s : u"#c62828"_s;
    // A style sheet border replaces the native frame, so a spin box also needs its buttons placed.
    setStyleSheet(u"QLineEdit[invalid=\"true\"], QAbstractSpinBox[invalid=\"true\"] {"
                  "  border: 1px solid %1; border-radius: 3px; padding: 2px 3px 3px 3px; }"
                  "QAbstractSpinBox[invalid=\"true\"] { padding-right: 17px; }"
                  "QAbstractSpinBox[invalid=\"true\"]::up-button { subcontrol-origin: border;"
                  "  subcontrol-position: top right; width: 16px; margin: 1px 1px 0px 0px; }"
                  "QAbstractSpinBox[invalid=\"true\"]::down-button { subcontrol-origin: border;"
                  "  subcontrol-position: bottom right; width: 16px; margin: 0px 1px 1px 0px; }"
                  "QAbstractSpinBox[invalid=\"true\"]::up-arrow,"
                  "QAbstractSpinBox[invalid=\"true\"]::down-arrow { width: 7px; height: 7px; }"
                  "QLabel[fieldError=\"true\"] { color: %1; }"
                  "QLabel#problemSummary { color: %1; font-weight: bold; }"
                  "QLabel#lockedNote { background: palette(alternate-base);"
                  "  border: 1px solid palette(mid); border-radius: 4px; padding: 6px 8px;"
                  "  margin: 8px 9px 0px 9px; }"_s.arg(red));

    m_lockedNote = new QLabel(u"The bot's processes are running, so the profile is read-only. "
                              u"Stop them to change it."_s);
    m_lockedNote->setObjectName(u"lockedNote"_s);
    m_lockedNote->setWordWrap(true);
    m_lockedNote->hide();

    m_problemSummary = new QLabel;
    m_problemSummary->setObjectName(u"problemSummary"_s);
    m_problemSummary->setTextFormat(Qt::PlainText);
    m_problemGoto = new QToolButton;
    m_problemGoto->setObjectName(u"problemGoto"_s);
    m_problemGoto->setText(u"Show first"_s);
    m_problemGoto->setToolTip(u"Scroll to the first field with a problem"_s);
    m_problemGoto->setAutoRaise(true);
    connect(m_problemGoto, &QToolButton::clicked, this, &ProfileEditor::goToFirstProblem);
    m_problemBar = hBox({m_problemSummary, m_problemGoto}, true);
    m_problemBar->layout()->setContentsMargins(9, 6, 9, 0);

    auto *content = new QWidget;
    auto *groups = new QVBoxLayout(content);
    groups->setSpacing(12);
    buildBotGroup(groups);
    buildShardsGroup(groups);
    buildRestartsGroup(groups);
    buildLoggingGroup(groups);
    buildIpcGroup(groups);
    buildDiscordGroup(groups);
    groups->addStretch(1);
    alignLabels();

    m_scroll = new QScrollArea;
    m_scroll->setWidget(content);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_lockedNote);
    layout->addWidget(m_problemBar);
    layout->addWidget(m_scroll, 1);

#ifndef QT_NO_DEBUG
    for (const QString &key : Profile::keys())
        Q_ASSERT_X(m_fields.contains(key), "ProfileEditor", "a profile key has no field");
#endif
    setProfile(Profile());
}

void ProfileEditor::buildBotGroup(QVBoxLayout *content)
{
    QFormLayout *form = addGroup(content, u"Bot"_s);

    m_file = newLineEdit(u"required, e.g. bot.lua"_s);
    addRow(form, u"file"_s, u"Bot file"_s,
           u"The bot file every process runs; a relative path is resolved against the "
           u"profile's folder."_s,
           m_file, withBrowseButton(m_file, u"file"_s, Browse::OpenFile));

    m_interpreter = newLineEdit(u"e.g. luvit, node or python3"_s);
    addRow(form, u"interpreter"_s, u"Interpreter"_s,
           u"The program that runs the bot file; a bare name such as luvit is looked up in PATH."_s,
           m_interpreter, withBrowseButton(m_interpreter, u"interpreter"_s, Browse::Program));

    m_interpreterArgs = new ArgumentsEdit;
    newLineEdit(u"none"_s, m_interpreterArgs);
    addRow(form, u"interpreterArgs"_s, u"Interpreter arguments"_s,
           u"Arguments placed before the bot file, separated by spaces; put double quotes around "
           u"one that contains a space."_s,
           m_interpreterArgs);

    m_workingDirectory = newLineEdit(u"folder of the bot file"_s);
    m_workingDirectory->setClearButtonEnabled(true);
    addRow(form, u"workingDirectory"_s, u"Working folder"_s,
           u"The folder the processes run in; empty means the bot file's folder."_s,
           m_workingDirectory,
           withBrowseButton(m_workingDirectory, u"workingDirectory"_s, Browse::Folder));

    m_arguments = new ArgumentsEdit;
    newLineEdit(u"none"_s, m_arguments);
    addRow(form, u"arguments"_s, u"Extra arguments"_s,
           u"Extra arguments every process gets after maxShards, separated by spaces; put double "
           u"quotes around one that contains a space."_s,
           m_arguments);
}

void ProfileEditor::buildShardsGroup(QVBoxLayout *content)
{
    QFormLayout *form = addGroup(content, u"Shards"_s);

    m_maxShards = newSpinBox(1, kMaxShards, 1);
    m_maxShardsAuto = newCheckBox(u"auto"_s);
    m_maxShardsAuto->setObjectName(u"field_maxShardsAuto"_s);
    m_maxShardsAuto->setToolTip(toolTipFor(
        u"maxShards: \"auto\""_s,
        u"Ask Discord's GET /gateway/bot for the recommended shard count when the bot starts."_s));
    connect(m_maxShardsAuto, &QCheckBox::toggled, this,
            [this](bool automatic) { m_maxShards->setEnabled(!automatic); });
    addRow(form, u"maxShards"_s, u"Total shards"_s,
           u"The total number of gateway shards, or auto to use the count Discord recommends."_s,
           m_maxShards, hBox({m_maxShards, m_maxShardsAuto}, true));

    m_shardsPerProcess = newSpinBox(1, kMaxShards, 1);
    addRow(form, u"shardsPerProcess"_s, u"Shards per process"_s,
           u"How many consecutive shards each process owns."_s, m_shardsPerProcess);

    m_waitTime = newSpinBox(0, kMaxMs, 500, u" ms"_s);
    addRow(form, u"waitTime"_s, u"Wait between starts"_s,
           u"The time between starting one process and the next, in milliseconds."_s, m_waitTime);

    m_gateway = new GatewayPanel;
    connect(m_gateway, &GatewayPanel::fetchRequested, this, &ProfileEditor::fetchGatewayRequested);
    auto *discordLabel = new QLabel(u"Discord:"_s);
    m_rowLabels.append(discordLabel);
    form->addRow(discordLabel, m_gateway);

    m_plan = new PlanPreview;
    m_plan->setObjectName(u"planPanel"_s);
    auto *label = new QLabel(u"Plan:"_s);
    m_rowLabels.append(label);
    form->addRow(label, m_plan);
}

void ProfileEditor::buildRestartsGroup(QVBoxLayout *content)
{
    QFormLayout *form = addGroup(content, u"Restarts"_s);

    m_autoRestart = newCheckBox(u"Restart on unexpected exit"_s);
    addRow(form, u"autoRestart"_s, u"Auto restart"_s,
           u"Restart a process that exits on its own, after the restart delay."_s, m_autoRestart);

    m_stopTimeout = newSpinBox(0, kMaxMs, 1000, u" ms"_s);
    addRow(form, u"stopTimeout"_s, u"Stop timeout"_s,
           u"How long a stopping process gets after SIGTERM before it is killed with SIGKILL."_s,
           m_stopTimeout);

    m_restartDelay = newSpinBox(0, kMaxMs, 500, u" ms"_s);
    addRow(form, u"restartDelay"_s, u"First restart delay"_s,
           u"The wait before restarting a crashed process; it doubles with each further crash."_s,
           m_restartDelay);

    m_restartDelayMax = newSpinBox(0, kMaxMs, 1000, u" ms"_s);
    addRow(form, u"restartDelayMax"_s, u"Longest restart delay"_s,
           u"The upper bound of the doubling restart delay."_s, m_restartDelayMax);

    m_maxRestarts = newSpinBox(0, kMaxRestarts, 1);
    addRow(form, u"maxRestarts"_s, u"Crash limit"_s,
           u"A process that crashes more often than this within the crash window is given up "
           u"on (state crash loop)."_s,
           m_maxRestarts);

    m_restartWindow = newSpinBox(1, kMaxMs, 1000, u" ms"_s);
    addRow(form, u"restartWindow"_s, u"Crash window"_s,
           u"The period crashes are counted in; a process that runs this long also gets its "
           u"restart delay reset."_s,
           m_restartWindow);
}

void ProfileEditor::buildLoggingGroup(QVBoxLayout *content)
{
    QFormLayout *form = addGroup(content, u"Logging"_s);

    m_logFile = newLineEdit(u"none"_s);
    m_logFile->setClearButtonEnabled(true);
    addRow(form, u"logFile"_s, u"Log file"_s,
           u"A file that receives every line of every process, appended; empty means no log "
           u"file."_s,
           m_logFile, withBrowseButton(m_logFile, u"logFile"_s, Browse::SaveFile));

    m_timestamp = newLineEdit(Profile().timestamp);
    QVBoxLayout *column = addRow(
        form, u"timestamp"_s, u"Timestamp format"_s,
        u"The os.date format of log line times: a leading ! means UTC, then strftime "
        u"conversions such as %Y-%m-%d %H:%M:%S."_s,
        m_timestamp);
    m_timestampPreview = new TimestampPreview;
    connect(m_timestamp, &QLineEdit::textChanged, m_timestampPreview, &TimestampPreview::setFormat);
    column->addWidget(m_timestampPreview);

    m_silent = newCheckBox(u"Don't echo output to stdout"_s);
    addRow(form, u"silent"_s, u"Silent"_s,
           u"When off, every line a process prints is also echoed to the manager's own stdout."_s,
           m_silent);
}

void ProfileEditor::buildIpcGroup(QVBoxLayout *content)
{
    QFormLayout *form = addGroup(content, u"IPC"_s);

    m_host = newLineEdit(Profile().host);
    addRow(form, u"host"_s, u"Listen address"_s,
           u"The address the IPC server listens on, such as 127.0.0.1."_s, m_host);

    m_port = newSpinBox(1, 65535, 1);
    addRow(form, u"port"_s, u"Port"_s,
           u"The TCP port of the IPC server, also passed to every process as its port argument."_s,
           m_port);

    m_ipcAccept = new QComboBox;
    m_ipcAccept->addItem(u"children"_s, u"children"_s);
    m_ipcAccept->setItemData(0, u"Only processes this manager started, and their children"_s,
                             Qt::ToolTipRole);
    m_ipcAccept->addItem(u"any"_s, u"any"_s);
    m_ipcAccept->setItemData(1, u"Also processes that are not ours, such as a local dashboard"_s,
                             Qt::ToolTipRole);
    m_ipcAccept->setFocusPolicy(Qt::StrongFocus);
    m_ipcAccept->installEventFilter(this);
    connect(m_ipcAccept, &QComboBox::currentIndexChanged, this, &ProfileEditor::onEdited);
    m_toggles.append(m_ipcAccept);
    addRow(form, u"ipcAccept"_s, u"Accept IPC from"_s,
           u"children accepts IPC connections only from this manager's processes; any also "
           u"accepts processes that are not ours."_s,
           m_ipcAccept);
}

void ProfileEditor::buildDiscordGroup(QVBoxLayout *content)
{
    QFormLayout *form = addGroup(content, u"Discord and memory"_s);

    m_tokenEnv = newLineEdit(Profile().tokenEnv);
    addRow(form, u"tokenEnv"_s, u"Token variable"_s,
           u"The environment variable that gives each process the token stored in the "
           u"keychain."_s,
           m_tokenEnv);

    m_discordApi = newLineEdit(Profile().discordApi);
    addRow(form, u"discordApi"_s, u"Discord API"_s,
           u"The base URL of Discord's HTTP API, used for maxShards auto and gateway "
           u"information."_s,
           m_discordApi);

    m_memoryWarn = newMemorySpinBox(&m_memoryWarnBytes);
    addRow(form, u"memoryWarn"_s, u"Memory warning"_s,
           u"Memory use per process above which it is shown in the warning colour "
           u"(1 MB = 1,000,000 bytes)."_s,
           m_memoryWarn);

    m_memoryLimit = newMemorySpinBox(&m_memoryLimitBytes);
    addRow(form, u"memoryLimit"_s, u"Memory limit"_s,
           u"Memory use per process above which it is shown in the limit colour; LuaJIT "
           u"cannot go much past 2 GB."_s,
           m_memoryLimit);

    m_memoryRestart = newCheckBox(u"Restart after 30 s over limit"_s);
    addRow(form, u"memoryRestart"_s, u"Memory restart"_s,
           u"Restart a process whose memory stays above the memory limit for 30 seconds."_s,
           m_memoryRestart);
}

QFormLayout *ProfileEditor::addGroup(QVBoxLayout *content, const QString &title)
{
    auto *group = new QGroupBox(title);
    auto *form = new QFormLayout(group);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    content->addWidget(group);
    return form;
}

QVBoxLayout *ProfileEditor::addRow(QFormLayout *form, const QString &key, const QString &label,
                                   const QString &tip, QWidget *input, QWidget *line)
{
    const QString toolTip = toolTipFor(key, tip);
    input->setObjectName(named(u"field_"_s, key));
    input->setToolTip(toolTip);
    input->setAccessibleName(label);

    auto *labelWidget = new QLabel(label + u':');
    labelWidget->setBuddy(input);
    labelWidget->setToolTip(toolTip);
    m_rowLabels.append(labelWidget);

    auto *error = new QLabel;
    error->setObjectName(named(u"error_"_s, key));
    error->setProperty("fieldError", true);
    error->setTextFormat(Qt::PlainText);
    error->setWordWrap(true);
    error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    error->hide();

    // Numbers and choices keep their natural width instead of stretching across the form.
    if (!line && (qobject_cast<QAbstractSpinBox *>(input) || qobject_cast<QComboBox *>(input)))
        line = hBox({input}, true);

    // The field and its problem share one cell, so the message sits right under the field.
    auto *cell = new QWidget;
    auto *column = new QVBoxLayout(cell);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(3);
    column->addWidget(line ? line : input);
    column->addWidget(error);
    form->addRow(labelWidget, cell);

    m_fields.insert(key, {input, error});
    return column;
}

QLineEdit *ProfileEditor::newLineEdit(const QString &placeholder, QLineEdit *edit)
{
    if (!edit)
        edit = new QLineEdit;
    edit->setPlaceholderText(placeholder);
    connect(edit, &QLineEdit::textChanged, this, &ProfileEditor::onEdited);
    m_lineEdits.append(edit);
    return edit;
}

QSpinBox *ProfileEditor::newSpinBox(int minimum, int maximum, int step, const QString &suffix)
{
    QSpinBox *spin = makeSpinBox(minimum, maximum, step, suffix);
    spin->installEventFilter(this);
    connect(spin, &QSpinBox::valueChanged, this, &ProfileEditor::onEdited);
    m_spinBoxes.append(spin);
    return spin;
}

QSpinBox *ProfileEditor::newMemorySpinBox(qint64 *bytes)
{
    QSpinBox *spin = makeSpinBox(0, kMaxMemoryMb, 100, u" MB"_s);
    spin->installEventFilter(this);
    // Only a user's edit replaces the exact byte count a profile was loaded with.
    connect(spin, &QSpinBox::valueChanged, this, [this, bytes](int megabytes) {
        if (m_loading)
            return;
        *bytes = qint64(megabytes) * kBytesPerMb;
        onEdited();
    });
    m_spinBoxes.append(spin);
    return spin;
}

QCheckBox *ProfileEditor::newCheckBox(const QString &text)
{
    auto *box = new QCheckBox(text);
    connect(box, &QCheckBox::toggled, this, &ProfileEditor::onEdited);
    m_toggles.append(box);
    return box;
}

QWidget *ProfileEditor::withBrowseButton(QLineEdit *edit, const QString &key, Browse kind)
{
    auto *button = new QToolButton;
    button->setObjectName(named(u"browse_"_s, key));
    button->setText(u"\u2026"_s);
    button->setToolTip(kind == Browse::Folder ? u"Choose a folder"_s : u"Choose a file"_s);
    button->setAccessibleName(button->toolTip());
    connect(button, &QToolButton::clicked, this, [this, edit, kind] { browse(edit, kind); });
    m_toggles.append(button);
    return hBox({edit, button}, false);
}

void ProfileEditor::alignLabels()
{
    // One label column width across all groups, so the fields line up down the whole form.
    int width = 0;
    for (const QLabel *label : std::as_const(m_rowLabels))
        width = std::max(width, label->sizeHint().width());
    for (QLabel *label : std::as_const(m_rowLabels))
        label->setMinimumWidth(width);
}

void ProfileEditor::setProfile(const Profile &profile)
{
    {
        const QScopedValueRollback loading(m_loading, true);
        m_baseDirectory = profile.baseDirectory;
        m_file->setText(profile.file);
        m_interpreter->setText(profile.interpreter);
        m_interpreterArgs->setArguments(profile.interpreterArgs);
        m_workingDirectory->setText(profile.workingDirectory);
        m_arguments->setArguments(profile.arguments);
        m_maxShards->setValue(profile.maxShards);
        m_maxShardsAuto->setChecked(profile.maxShardsAuto);
        m_shardsPerProcess->setValue(profile.shardsPerProcess);
        m_waitTime->setValue(profile.waitTime);
        m_autoRestart->setChecked(profile.autoRestart);
        m_stopTimeout->setValue(profile.stopTimeout);
        m_restartDelay->setValue(profile.restartDelay);
        m_restartDelayMax->setValue(profile.restartDelayMax);
        m_maxRestarts->setValue(profile.maxRestarts);
        m_restartWindow->setValue(profile.restartWindow);
        m_logFile->setText(profile.logFile);
        m_timestamp->setText(profile.timestamp);
        m_silent->setChecked(profile.silent);
        m_host->setText(profile.host);
        m_port->setValue(profile.port);
        m_ipcAccept->setCurrentIndex(profile.ipcAccept == Profile::IpcAccept::Any ? 1 : 0);
        m_tokenEnv->setText(profile.tokenEnv);
        m_discordApi->setText(profile.discordApi);
        m_memoryWarn->setValue(toMegabytes(profile.memoryWarn));
        m_memoryWarnBytes = profile.memoryWarn;
        m_memoryLimit->setValue(toMegabytes(profile.memoryLimit));
        m_memoryLimitBytes = profile.memoryLimit;
        m_memoryRestart->setChecked(profile.memoryRestart);
    }
    m_maxShards->setEnabled(!profile.maxShardsAuto);
    refresh();
}

Profile ProfileEditor::profile() const
{
    Profile p;
    p.baseDirectory = m_baseDirectory;
    p.file = m_file->text();
    p.interpreter = m_interpreter->text();
    p.interpreterArgs = m_interpreterArgs->arguments();
    p.workingDirectory = m_workingDirectory->text();
    p.arguments = m_arguments->arguments();
    p.maxShards = m_maxShards->value();
    p.maxShardsAuto = m_maxShardsAuto->isChecked();
    p.shardsPerProcess = m_shardsPerProcess->value();
    p.waitTime = m_waitTime->value();
    p.autoRestart = m_autoRestart->isChecked();
    p.stopTimeout = m_stopTimeout->value();
    p.restartDelay = m_restartDelay->value();
    p.restartDelayMax = m_restartDelayMax->value();
    p.maxRestarts = m_maxRestarts->value();
    p.restartWindow = m_restartWindow->value();
    p.logFile = m_logFile->text();
    p.timestamp = m_timestamp->text();
    p.silent = m_silent->isChecked();
    p.host = m_host->text();
    p.port = m_port->value();
    p.ipcAccept = m_ipcAccept->currentIndex() == 1 ? Profile::IpcAccept::Any
                                                   : Profile::IpcAccept::Children;
    p.tokenEnv = m_tokenEnv->text();
    p.discordApi = m_discordApi->text();
    p.memoryWarn = m_memoryWarnBytes;
    p.memoryLimit = m_memoryLimitBytes;
    p.memoryRestart = m_memoryRestart->isChecked();
    return p;
}

QList<ProfileError> ProfileEditor::errors() const
{
    return m_errors;
}

bool ProfileEditor::isValid() const
{
    return m_errors.isEmpty();
}

void ProfileEditor::setGatewayInfo(const GatewayInfo &info)
{
    m_gateway->showInfo(info);
    m_plan->setGateway(info.shards, info.maxConcurrency);
    refresh();
}

void ProfileEditor::setGatewayMessage(const QString &text)
{
    m_gateway->showMessage(text);
}

void ProfileEditor::setLocked(bool locked)
{
    m_locked = locked;
    // Read-only rather than disabled where Qt allows it: values stay readable and copyable.
    for (QLineEdit *edit : std::as_const(m_lineEdits))
        edit->setReadOnly(locked);
    // A read-only line edit still shows its clear button, and the button still clears.
    for (QLineEdit *edit : {m_workingDirectory, m_logFile})
        edit->setClearButtonEnabled(!locked);
    for (QAbstractSpinBox *spin : std::as_const(m_spinBoxes))
        spin->setReadOnly(locked);
    for (QWidget *toggle : std::as_const(m_toggles))
        toggle->setEnabled(!locked);
    m_lockedNote->setVisible(locked);
}

void ProfileEditor::onEdited()
{
    if (m_loading)
        return;
    refresh();
    emit profileEdited();
}

QList<ProfileError> ProfileEditor::parseErrors() const
{
    QList<ProfileError> errors;
    const auto check = [&errors](const ArgumentsEdit *edit, const QString &key) {
        if (edit->hasUnclosedQuote())
            errors.append({key, u"has a double quote that is not closed"_s});
    };
    check(m_interpreterArgs, u"interpreterArgs"_s);
    check(m_arguments, u"arguments"_s);
    return errors;
}

void ProfileEditor::refresh()
{
    const Profile current = profile();
    m_errors = parseErrors() + current.validate();
    showErrors();

    if (current.maxShardsAuto)
        m_plan->showAuto(current.shardsPerProcess, current.waitTime);
    else
        m_plan->showPlan(current.maxShards, current.shardsPerProcess, current.waitTime);

    const bool valid = m_errors.isEmpty();
    if (valid != m_valid) {
        m_valid = valid;
        emit validityChanged(valid);
    }
}

void ProfileEditor::showErrors()
{
    QHash<QString, QStringList> messages;
    bool anyAtField = false;
    for (const ProfileError &error : std::as_const(m_errors)) {
        messages[error.key].append(error.message);
        anyAtField = anyAtField || m_fields.contains(error.key);
    }

    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
        const QStringList lines = messages.value(it.key());
        const bool invalid = !lines.isEmpty();
        it->error->setText(lines.join(u'\n'));
        it->error->setVisible(invalid);
        if (it->input->property("invalid").toBool() != invalid) {
            it->input->setProperty("invalid", invalid);
            // Style sheets read dynamic properties only when a widget is polished.
            it->input->style()->unpolish(it->input);
            it->input->style()->polish(it->input);
            it->input->update();
        }
    }

    const qsizetype count = m_errors.size();
    m_problemSummary->setText(count == 0   ? u"No problems"_s
                              : count == 1 ? u"1 problem"_s
                                           : u"%1 problems"_s.arg(count));
    QStringList all;
    for (const ProfileError &error : std::as_const(m_errors))
        all.append(error.toString());
    m_problemSummary->setToolTip(all.join(u'\n'));
    m_problemSummary->setVisible(count > 0);
    m_problemGoto->setVisible(anyAtField);
    m_problemBar->setVisible(count > 0);
}

void ProfileEditor::goToFirstProblem()
{
    for (const ProfileError &error : std::as_const(m_errors)) {
        const Field field = m_fields.value(error.key);
        if (!field.input)
            continue;
        m_scroll->ensureWidgetVisible(field.input, 50, 80);
        field.input->setFocus(Qt::OtherFocusReason);
        return;
    }
}

bool ProfileEditor::eventFilter(QObject *watched, QEvent *event)
{
    // A wheel over a number or a choice scrolls the form unless that field has the focus: scrolling
    // must not change a value the pointer happens to cross. Ignored, the event goes to the parents.
    if (event->type() == QEvent::Wheel) {
        const auto *widget = qobject_cast<QWidget *>(watched);
        if (widget && !widget->hasFocus()) {
            event->ignore();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ProfileEditor::browse(QLineEdit *edit, Browse kind)
{
    const Profile current = profile();
    QString start;
    if (!edit->text().isEmpty()) {
        switch (kind) {
        case Browse::OpenFile: start = current.resolvedFile(); break;
        case Browse::SaveFile: start = current.resolvedLogFile(); break;
        case Browse::Folder: start = current.resolvedWorkingDirectory(); break;
        case Browse::Program: start = current.resolvedInterpreter(); break;
        }
    }
    if (start.isEmpty())
        start = m_baseDirectory.isEmpty() ? QDir::homePath() : m_baseDirectory;

    QString chosen;
    switch (kind) {
    case Browse::OpenFile:
        chosen = QFileDialog::getOpenFileName(this, u"Choose the Bot File"_s, start,
                                              u"Bot files (*.lua *.js *.mjs *.cjs *.py);;"
                                              u"All files (*)"_s);
        break;
    case Browse::SaveFile:
        // The log is appended to, never truncated: choosing an existing file is no overwrite.
        chosen = QFileDialog::getSaveFileName(this, u"Choose the Log File"_s, start,
                                              u"Log files (*.log *.txt);;All files (*)"_s, nullptr,
                                              QFileDialog::DontConfirmOverwrite);
        break;
    case Browse::Folder:
        chosen = QFileDialog::getExistingDirectory(this, u"Choose the Working Folder"_s, start);
        break;
    case Browse::Program:
        chosen = QFileDialog::getOpenFileName(this, u"Choose the Interpreter"_s, start);
        break;
    }
    // The dialog runs its own event loop: the processes may have started meanwhile.
    if (chosen.isEmpty() || m_locked)
        return;
    edit->setText(pathForField(chosen, kind));
    edit->setFocus(Qt::OtherFocusReason);
}

QString ProfileEditor::pathForField(const QString &chosen, Browse kind) const
{
    // Inside the profile's folder a relative path lets the bot and its profile move together.
    if (m_baseDirectory.isEmpty())
        return chosen;
    const QString relative = QDir(m_baseDirectory).relativeFilePath(chosen);
    if (relative == u".."_s || relative.startsWith(u"../"_s) || QDir::isAbsolutePath(relative))
        return chosen;
    // A bare interpreter name is looked up in PATH, not beside the profile.
    if (kind == Browse::Program && !relative.contains(u'/'))
        return u"./"_s + relative;
    return relative;
}
