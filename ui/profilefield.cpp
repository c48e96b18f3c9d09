#include "profilefield.h"

#include "argumentsedit.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScopedValueRollback>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>

#include <algorithm>
#include <limits>
#include <type_traits>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

// Where a number's field stops when validation sets no upper bound: six hours is far beyond any
// sensible wait, timeout or window.
constexpr int kMaxMs = 6 * 60 * 60 * 1000;
constexpr int kMaxTimes = 10000;
// Memory is edited in decimal megabytes, as the defaults (1.5 GB, 1.9 GB) are written.
constexpr qint64 kBytesPerMb = 1000 * 1000;
constexpr int kMaxMemoryMb = 1000 * 1000;

QString toolTipFor(const QString &key, const QString &sentence)
{
    // Rich text so a long tooltip wraps instead of running across the screen.
    return u"<p><b>%1</b> \u2014 %2</p>"_s.arg(key, sentence.toHtmlEscaped());
}

int toMegabytes(qint64 bytes)
{
    return int(std::clamp<qint64>((bytes + kBytesPerMb / 2) / kBytesPerMb, 0, kMaxMemoryMb));
}

int formMaximum(const ProfileKey &key)
{
    if (key.maximum != ProfileKey::kNoMaximum)
        return int(std::min<qint64>(key.maximum, std::numeric_limits<int>::max()));
    switch (key.unit) {
    case ProfileKey::Unit::Shards: return Profile::kMaxShards;
    case ProfileKey::Unit::Milliseconds: return kMaxMs;
    case ProfileKey::Unit::Times: return kMaxTimes;
    case ProfileKey::Unit::None: break;
    }
    return std::numeric_limits<int>::max();
}

} // namespace

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

ProfileField::ProfileField(const ProfileKey &key, QObject *parent)
    : QObject(parent)
    , m_key(key)
{
    std::visit(
        [this](auto member) {
        using T = std::remove_cvref_t<decltype(std::declval<Profile>().*member)>;
        if constexpr (std::is_same_v<T, QString> || std::is_same_v<T, QStringList>) {
            makeText();
        } else if constexpr (std::is_same_v<T, int>) {
            makeNumber();
        } else if constexpr (std::is_same_v<T, qint64>) {
            makeByteSize();
        } else if constexpr (std::is_same_v<T, bool>) {
            m_check = new QCheckBox(m_key.hintText());
            connect(m_check, &QCheckBox::toggled, this, &ProfileField::edited);
            m_input = m_check;
        } else {
            makeChoice();
        }
        },
        m_key.member);
    if (!m_line) // numbers and choices keep their natural width instead of stretching across
        m_line = m_spin || m_combo ? hBox({m_input}, true) : m_input;

    const QString toolTip = toolTipFor(name(), m_key.helpText());
    m_input->setObjectName(u"field_"_s + name());
    m_input->setToolTip(toolTip);
    m_input->setAccessibleName(m_key.labelText());

    m_label = new QLabel(tr("%1:").arg(m_key.labelText()));
    m_label->setBuddy(m_input);
    m_label->setToolTip(toolTip);

    m_error = new QLabel;
    m_error->setObjectName(u"error_"_s + name());
    m_error->setProperty("fieldError", true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();

    m_marker = new QLabel;
    m_marker->setObjectName(u"problem_"_s + name());
    const int icon = m_marker->style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_marker->setFixedSize(icon, icon);
    m_line = hBox({m_line, m_marker}, false);
}

void ProfileField::setProblem(const QString &text)
{
    const bool invalid = !text.isEmpty();
    m_error->setText(text);
    m_error->setVisible(invalid);
    m_marker->setToolTip(text);
    m_marker->setAccessibleDescription(text);
    if (invalid != !m_marker->pixmap().isNull()) {
        const int icon = m_marker->width();
        m_marker->setPixmap(invalid ? m_marker->style()
                                          ->standardIcon(QStyle::SP_MessageBoxWarning)
                                          .pixmap(QSize(icon, icon), m_marker->devicePixelRatioF())
                                    : QPixmap());
    }
    if (m_input->property("invalid").toBool() != invalid) {
        m_input->setProperty("invalid", invalid);
        // Style sheets read dynamic properties only when a widget is polished.
        m_input->style()->unpolish(m_input);
        m_input->style()->polish(m_input);
        m_input->update();
    }
}

void ProfileField::makeText()
{
    if (std::holds_alternative<QStringList Profile::*>(m_key.member))
        m_lineEdit = m_arguments = new ArgumentsEdit;
    else
        m_lineEdit = new QLineEdit;
    m_lineEdit->setPlaceholderText(m_key.hintText());
    m_lineEdit->setClearButtonEnabled(m_key.nullable);
    connect(m_lineEdit, &QLineEdit::textChanged, this, &ProfileField::edited);
    m_input = m_lineEdit;
    if (m_key.path == ProfileKey::Path::None)
        return;
    m_browse = new QToolButton;
    m_browse->setObjectName(u"browse_"_s + name());
    m_browse->setText(u"\u2026"_s);
    m_browse->setToolTip(m_key.path == ProfileKey::Path::Folder ? tr("Choose a folder")
                                                                : tr("Choose a file"));
    m_browse->setAccessibleName(m_browse->toolTip());
    connect(m_browse, &QToolButton::clicked, this, &ProfileField::browseRequested);
    m_line = hBox({m_lineEdit, m_browse}, false);
}

QSpinBox *ProfileField::makeSpinBox(int minimum, int maximum, const QString &suffix)
{
    auto *spin = new QSpinBox;
    spin->setRange(minimum, maximum);
    spin->setSingleStep(m_key.step);
    spin->setSuffix(suffix);
    spin->setGroupSeparatorShown(maximum > 65535);
    spin->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    // Focus by click or tab only: the wheel belongs to the scrolling form (see eventFilter).
    spin->setFocusPolicy(Qt::StrongFocus);
    spin->setMinimumWidth(std::max(spin->sizeHint().width(), 120)); // one width, aligned edges
    spin->installEventFilter(this);
    return spin;
}

void ProfileField::makeNumber()
{
    m_spin = makeSpinBox(int(m_key.minimum), formMaximum(m_key),
                         m_key.unit == ProfileKey::Unit::Milliseconds ? tr(" ms") : QString());
    connect(m_spin, &QSpinBox::valueChanged, this, &ProfileField::edited);
    m_input = m_spin;
    if (!m_key.automatic)
        return;
    m_check = new QCheckBox(tr("auto"));
    m_check->setObjectName(u"field_%1Auto"_s.arg(name()));
    m_check->setToolTip(
        toolTipFor(u"%1: \"auto\""_s.arg(name()),
                   tr("Ask Discord's GET /gateway/bot for the recommended shard count "
                      "when the bot starts.")));
    connect(m_check, &QCheckBox::toggled, this, [this](bool automatic) {
        m_spin->setEnabled(!automatic);
        emit edited();
    });
    m_line = hBox({m_spin, m_check}, true);
}

void ProfileField::makeByteSize()
{
    m_spin = makeSpinBox(0, kMaxMemoryMb, tr(" MB"));
    // Only a user's edit replaces the exact byte count a profile was loaded with.
    connect(m_spin, &QSpinBox::valueChanged, this, [this](int megabytes) {
        if (m_showing)
            return;
        m_bytes = qint64(megabytes) * kBytesPerMb;
        emit edited();
    });
    m_input = m_spin;
}

void ProfileField::makeChoice()
{
    m_combo = new QComboBox;
    for (const ProfileKey::Choice &choice : m_key.choices) {
        const QString value = QString::fromLatin1(choice.value);
        m_combo->addItem(value, value);
        m_combo->setItemData(m_combo->count() - 1, ProfileKey::tr(choice.help), Qt::ToolTipRole);
    }
    m_combo->setFocusPolicy(Qt::StrongFocus);
    m_combo->installEventFilter(this);
    connect(m_combo, &QComboBox::currentIndexChanged, this, &ProfileField::edited);
    m_input = m_combo;
}

void ProfileField::show(const Profile &profile)
{
    const QScopedValueRollback showing(m_showing, true);
    std::visit(
        [&](auto member) {
        const auto &value = profile.*member;
        using T = std::remove_cvref_t<decltype(value)>;
        if constexpr (std::is_same_v<T, QString>) {
            m_lineEdit->setText(value);
        } else if constexpr (std::is_same_v<T, QStringList>) {
            m_arguments->setArguments(value);
        } else if constexpr (std::is_same_v<T, int>) {
            m_spin->setValue(value);
            if (m_key.automatic) {
                m_check->setChecked(profile.*m_key.automatic);
                m_spin->setEnabled(!m_check->isChecked());
            }
        } else if constexpr (std::is_same_v<T, qint64>) {
            m_spin->setValue(toMegabytes(value));
            m_bytes = value;
        } else if constexpr (std::is_same_v<T, bool>) {
            m_check->setChecked(value);
        } else {
            m_combo->setCurrentIndex(int(value));
        }
        },
        m_key.member);
}

void ProfileField::read(Profile *profile) const
{
    std::visit(
        [&](auto member) {
        auto &value = profile->*member;
        using T = std::remove_cvref_t<decltype(value)>;
        if constexpr (std::is_same_v<T, QString>) {
            value = m_lineEdit->text();
        } else if constexpr (std::is_same_v<T, QStringList>) {
            value = m_arguments->arguments();
        } else if constexpr (std::is_same_v<T, int>) {
            value = m_spin->value();
            if (m_key.automatic)
                profile->*m_key.automatic = m_check->isChecked();
        } else if constexpr (std::is_same_v<T, qint64>) {
            value = m_bytes;
        } else if constexpr (std::is_same_v<T, bool>) {
            value = m_check->isChecked();
        } else {
            value = T(std::max(m_combo->currentIndex(), 0));
        }
        },
        m_key.member);
}

void ProfileField::setLocked(bool locked)
{
    if (m_lineEdit) {
        m_lineEdit->setReadOnly(locked);
        // A read-only line edit still shows its clear button, and the button still clears.
        m_lineEdit->setClearButtonEnabled(m_key.nullable && !locked);
    }
    if (m_spin)
        m_spin->setReadOnly(locked);
    for (QWidget *toggle : std::initializer_list<QWidget *> {m_check, m_combo, m_browse}) {
        if (toggle)
            toggle->setEnabled(!locked);
    }
}

bool ProfileField::hasUnclosedQuote() const
{
    return m_arguments && m_arguments->hasUnclosedQuote();
}

bool ProfileField::eventFilter(QObject *watched, QEvent *event)
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
    return QObject::eventFilter(watched, event);
}

QString ProfileField::choosePath(const Profile &current)
{
    using Path = ProfileKey::Path;
    QString start;
    if (!m_lineEdit->text().isEmpty()) {
        switch (m_key.path) {
        case Path::File: start = current.resolvedFile(); break;
        case Path::NewFile: start = current.resolvedLogFile(); break;
        case Path::Folder: start = current.resolvedWorkingDirectory(); break;
        case Path::Program: start = current.resolvedInterpreter(); break;
        case Path::None: break;
        }
    }
    if (start.isEmpty())
        start = current.baseDirectory.isEmpty() ? QDir::homePath() : current.baseDirectory;

    QWidget *parent = m_input->window();
    QString chosen;
    switch (m_key.path) {
    case Path::File:
        chosen = QFileDialog::getOpenFileName(parent, tr("Choose the Bot File"), start,
                                              tr("Bot files (*.lua *.js *.mjs *.cjs *.py);;"
                                                 "All files (*)"));
        break;
    case Path::NewFile:
        // The log is appended to, never truncated: choosing an existing file is no overwrite.
        chosen = QFileDialog::getSaveFileName(parent, tr("Choose the Log File"), start,
                                              tr("Log files (*.log *.txt);;All files (*)"), nullptr,
                                              QFileDialog::DontConfirmOverwrite);
        break;
    case Path::Folder:
        chosen = QFileDialog::getExistingDirectory(parent, tr("Choose the Working Folder"), start);
        break;
    case Path::Program:
        chosen = QFileDialog::getOpenFileName(parent, tr("Choose the Interpreter"), start);
        break;
    case Path::None: break;
    }
    return chosen.isEmpty() ? QString() : pathForField(chosen, current.baseDirectory);
}

void ProfileField::setPath(const QString &path)
{
    m_lineEdit->setText(path);
    m_lineEdit->setFocus(Qt::OtherFocusReason);
}

QString ProfileField::pathForField(const QString &chosen, const QString &baseDirectory) const
{
    // Inside the profile's folder a relative path lets the bot and its profile move together.
    if (baseDirectory.isEmpty())
        return chosen;
    const QString relative = QDir(baseDirectory).relativeFilePath(chosen);
    if (relative == u".."_s || relative.startsWith(u"../"_s) || QDir::isAbsolutePath(relative))
        return chosen;
    // A bare interpreter name is looked up in PATH, not beside the profile.
    if (m_key.path == ProfileKey::Path::Program && !relative.contains(u'/'))
        return u"./"_s + relative;
    return relative;
}
