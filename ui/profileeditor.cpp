#include "profileeditor.h"

#include "gatewaypanel.h"
#include "planpreview.h"
#include "profilefield.h"
#include "timestamppreview.h"

#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QScopedValueRollback>
#include <QScrollArea>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

QString groupTitle(ProfileKey::Group group)
{
    switch (group) {
    case ProfileKey::Group::Bot: return ProfileEditor::tr("Bot");
    case ProfileKey::Group::Shards: return ProfileEditor::tr("Shards");
    case ProfileKey::Group::Restarts: return ProfileEditor::tr("Restarts");
    case ProfileKey::Group::Logging: return ProfileEditor::tr("Logging");
    case ProfileKey::Group::Ipc: return ProfileEditor::tr("IPC");
    case ProfileKey::Group::Discord: return ProfileEditor::tr("Discord and memory");
    }
    return QString();
}

// A problem as the form shows it: a key named in the text (memoryWarn) becomes the label the user
// sees on the form ("Memory warning"). Names of one plain word (file, port) read as English
// already and are left alone.
QString withLabels(QString message)
{
    for (const ProfileKey &key : ProfileSchema::keys()) {
        const QString name = QString::fromLatin1(key.name);
        if (name == name.toLower() || !message.contains(name))
            continue;
        const QRegularExpression word(u"\\b"_s + name + u"\\b"_s);
        message.replace(word, u"\u201c%1\u201d"_s.arg(key.labelText()));
    }
    return message;
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

    m_lockedNote = new QLabel(tr("The bot's processes are running, so the profile is read-only. "
                                 "Stop them to change it."));
    m_lockedNote->setObjectName(u"lockedNote"_s);
    m_lockedNote->setWordWrap(true);
    m_lockedNote->hide();

    m_problemSummary = new QLabel;
    m_problemSummary->setObjectName(u"problemSummary"_s);
    m_problemSummary->setTextFormat(Qt::PlainText);
    m_problemGoto = new QToolButton;
    m_problemGoto->setObjectName(u"problemGoto"_s);
    m_problemGoto->setText(tr("Show first"));
    m_problemGoto->setToolTip(tr("Scroll to the first field with a problem"));
    m_problemGoto->setAutoRaise(true);
    connect(m_problemGoto, &QToolButton::clicked, this, &ProfileEditor::goToFirstProblem);
    // The problems are listed under the form, each field only marked: a text appearing between
    // two fields pushed the next one away as the user clicked at it.
    auto *problemList = new QWidget;
    m_problemGrid = new QGridLayout(problemList);
    m_problemGrid->setContentsMargins(0, 0, 0, 0);
    m_problemGrid->setColumnStretch(1, 1);
    m_otherProblems = new QLabel;
    m_otherProblems->setObjectName(u"otherProblems"_s);
    m_otherProblems->setProperty("fieldError", true);
    m_otherProblems->setTextFormat(Qt::PlainText);
    m_otherProblems->setWordWrap(true);
    m_otherProblems->hide();
    m_problemScroll = new QScrollArea;
    m_problemScroll->setWidget(problemList);
    m_problemScroll->setWidgetResizable(true);
    m_problemScroll->setFrameShape(QFrame::NoFrame);
    m_problemScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // A few problems in view; more scroll, so the form keeps most of the dock.
    m_problemScroll->setMaximumHeight(fontMetrics().lineSpacing() * 5);
    m_problemBar = new QWidget;
    m_problemBar->setObjectName(u"problemBar"_s);
    auto *bar = new QVBoxLayout(m_problemBar);
    bar->setContentsMargins(9, 6, 9, 6);
    bar->setSpacing(3);
    bar->addWidget(hBox({m_problemSummary, m_problemGoto}, true));
    bar->addWidget(m_problemScroll);

    auto *content = new QWidget;
    auto *groups = new QVBoxLayout(content);
    groups->setSpacing(12);
    // The schema lists the keys group by group, in the order the form shows them.
    QFormLayout *form = nullptr;
    QFormLayout *shards = nullptr;
    std::optional<ProfileKey::Group> group;
    for (const ProfileKey &key : ProfileSchema::keys()) {
        if (key.group != group) {
            group = key.group;
            form = addGroup(groups, key.group);
            if (key.group == ProfileKey::Group::Shards)
                shards = form;
        }
        addField(form, key);
    }
    // What the shard numbers lead to, under them.
    addShardPreviews(shards);
    m_problemGrid->addWidget(m_otherProblems, m_problemGrid->rowCount(), 0, 1, 2);
    groups->addStretch(1);
    alignLabels();

    m_scroll = new QScrollArea;
    m_scroll->setObjectName(u"formScroll"_s);
    m_scroll->setWidget(content);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_sideBySideMinimum = content->minimumSizeHint().width();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_lockedNote);
    layout->addWidget(m_scroll, 1);
    layout->addWidget(m_problemBar);

    setProfile(Profile());
}

QFormLayout *ProfileEditor::addGroup(QVBoxLayout *content, ProfileKey::Group group)
{
    auto *box = new QGroupBox(groupTitle(group));
    auto *form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows); // until resizeEvent knows the width
    content->addWidget(box);
    m_forms.append(form);
    return form;
}

void ProfileEditor::addField(QFormLayout *form, const ProfileKey &key)
{
    auto *field = new ProfileField(key, this);
    // A value typed over an unreadable one: what reading found about it no longer holds.
    connect(field, &ProfileField::edited, this, [this, field] {
        if (!m_loading)
            m_loadErrors.removeIf(
                [field](const ProfileError &e) { return e.key == field->name(); });
    });
    connect(field, &ProfileField::edited, this, &ProfileEditor::onEdited);
    connect(field, &ProfileField::browseRequested, this, [this, field] {
        const QString chosen = field->choosePath(profile());
        // The dialog runs its own event loop: the processes may have started meanwhile.
        if (!chosen.isEmpty() && !m_locked)
            field->setPath(chosen);
    });
    m_fields.append(field);
    m_fieldByKey.insert(field->name(), field);
    m_rowLabels.append(field->label());

    auto *cell = new QWidget;
    auto *column = new QVBoxLayout(cell);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(3);
    column->addWidget(field->line());
    form->addRow(field->label(), cell);

    // Its line in the list of problems: the field's name goes to the field.
    auto *name = new QLabel(u"<a href=\"#\">%1</a>:"_s.arg(key.labelText().toHtmlEscaped()));
    name->setObjectName(u"problemField_"_s + field->name());
    name->setToolTip(tr("Go to the field"));
    name->hide();
    connect(name, &QLabel::linkActivated, this, [this, field] { goTo(field); });
    const int row = m_problemGrid->rowCount();
    m_problemGrid->addWidget(name, row, 0, Qt::AlignTop);
    m_problemGrid->addWidget(field->error(), row, 1);
    m_problemNames.insert(field, name);

    // What a format makes is easier to judge than the format: show it under the field.
    if (field->name() == u"timestamp"_s) {
        m_timestampPreview = new TimestampPreview;
        connect(field->lineEdit(), &QLineEdit::textChanged, m_timestampPreview,
                &TimestampPreview::setFormat);
        column->addWidget(m_timestampPreview);
    }
}

void ProfileEditor::addShardPreviews(QFormLayout *form)
{
    m_gateway = new GatewayPanel;
    connect(m_gateway, &GatewayPanel::fetchRequested, this, &ProfileEditor::fetchGatewayRequested);
    auto *discordLabel = new QLabel(tr("Discord:"));
    m_rowLabels.append(discordLabel);
    form->addRow(discordLabel, m_gateway);

    m_plan = new PlanPreview;
    m_plan->setObjectName(u"planPanel"_s);
    auto *label = new QLabel(tr("Plan:"));
    m_rowLabels.append(label);
    form->addRow(label, m_plan);
}

void ProfileEditor::alignLabels()
{
    // One label column width across all groups, so the fields line up down the whole form.
    int width = 0;
    for (const QLabel *label : std::as_const(m_rowLabels))
        width = std::max(width, label->sizeHint().width());
    for (QLabel *label : std::as_const(m_rowLabels))
        label->setMinimumWidth(width);
    m_labelWidth = width;
}

int ProfileEditor::sideBySideWidth() const
{
    const int scrollBar = style()->pixelMetric(QStyle::PM_ScrollBarExtent);
    const int margins = 2 * (style()->pixelMetric(QStyle::PM_LayoutLeftMargin) + 9) + scrollBar;
    const int rough = m_labelWidth + fontMetrics().horizontalAdvance(u'M') * 20 + margins;
    // Side by side, the fields' own minimum widths decide (a browse button, a spin box and its
    // "auto"): the rough guess alone left the form 10 px too wide for the dock, scrolling.
    return std::max(rough, m_sideBySideMinimum + scrollBar);
}

void ProfileEditor::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // Narrow (a small screen with every dock open), each label goes above its field, which then
    // has the whole width: side by side, the fields and the plan were cut off at the right.
    if (!m_forms.isEmpty() && m_forms.first()->rowWrapPolicy() == QFormLayout::DontWrapRows)
        m_sideBySideMinimum = m_scroll->widget()->minimumSizeHint().width();
    const auto policy
        = width() < sideBySideWidth() ? QFormLayout::WrapAllRows : QFormLayout::DontWrapRows;
    for (QFormLayout *form : std::as_const(m_forms)) {
        if (form->rowWrapPolicy() != policy)
            form->setRowWrapPolicy(policy);
    }
}

void ProfileEditor::setProfile(const Profile &profile, const QList<ProfileError> &loadErrors)
{
    m_loadErrors = loadErrors;
    {
        const QScopedValueRollback loading(m_loading, true);
        m_baseDirectory = profile.baseDirectory;
        for (ProfileField *field : std::as_const(m_fields))
            field->show(profile);
    }
    refresh();
}

void ProfileEditor::clearLoadErrors()
{
    if (m_loadErrors.isEmpty())
        return;
    m_loadErrors.clear();
    refresh();
}

Profile ProfileEditor::profile() const
{
    Profile p;
    p.baseDirectory = m_baseDirectory;
    for (const ProfileField *field : m_fields)
        field->read(&p);
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
    for (ProfileField *field : std::as_const(m_fields))
        field->setLocked(locked);
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
    for (const ProfileField *field : m_fields) {
        if (field->hasUnclosedQuote())
            errors.append({field->name(), tr("has a double quote that is not closed")});
    }
    return errors;
}

void ProfileEditor::refresh()
{
    const Profile current = profile();
    m_errors = parseErrors() + m_loadErrors;
    // A key whose value could not be read shows that, not what its stand-in (the default) lacks.
    for (const ProfileError &problem : current.validate()) {
        if (std::none_of(m_loadErrors.cbegin(), m_loadErrors.cend(),
                         [&problem](const ProfileError &e) { return e.key == problem.key; }))
            m_errors.append(problem);
    }
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
        messages[error.key].append(withLabels(error.message));
        anyAtField = anyAtField || m_fieldByKey.contains(error.key);
    }

    for (ProfileField *field : std::as_const(m_fields)) {
        const QStringList lines = messages.take(field->name());
        field->setProblem(lines.join(u'\n'));
        m_problemNames.value(field)->setVisible(!lines.isEmpty());
    }
    // What is left names no field: an unknown key, the file as a whole.
    QStringList others;
    for (const ProfileError &error : std::as_const(m_errors)) {
        if (messages.contains(error.key))
            others.append(withLabels(error.toString()));
    }
    m_otherProblems->setText(others.join(u'\n'));
    m_otherProblems->setVisible(!others.isEmpty());

    const qsizetype count = m_errors.size();
    m_problemSummary->setText(count == 0 ? tr("No problems")
                                         : tr("%n problem(s)", nullptr, int(count)));
    QStringList all;
    for (const ProfileError &error : std::as_const(m_errors)) {
        const ProfileKey *key = ProfileSchema::find(error.key);
        all.append(key ? u"%1: %2"_s.arg(key->labelText(), withLabels(error.message))
                       : withLabels(error.toString()));
    }
    m_problemSummary->setToolTip(all.join(u'\n'));
    m_problemSummary->setVisible(count > 0);
    m_problemGoto->setVisible(anyAtField);
    m_problemBar->setVisible(count > 0);
}

void ProfileEditor::goToFirstProblem()
{
    for (const ProfileError &error : std::as_const(m_errors)) {
        if (const ProfileField *field = m_fieldByKey.value(error.key)) {
            goTo(field);
            return;
        }
    }
}

void ProfileEditor::goTo(const ProfileField *field)
{
    m_scroll->ensureWidgetVisible(field->input(), 50, 80);
    field->input()->setFocus(Qt::OtherFocusReason);
}
