#pragma once

#include "profile/profileschema.h"

#include <QObject>

#include <initializer_list>

class ArgumentsEdit;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QToolButton;
class QWidget;

// The widgets side by side without margins; stretch keeps them at their natural width.
QWidget *hBox(std::initializer_list<QWidget *> widgets, bool stretch);

// One key's input in the profile editor, made from its schema row: a line edit (with a browse
// button for a path), an argument list, a spin box (with "auto" where the key allows it; byte
// sizes in megabytes), a check box or a choice. It shows a profile's value and reads it back; the
// editor lays it out and marks its problems.
class ProfileField : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileField)

public:
    ProfileField(const ProfileKey &key, QObject *parent);

    const ProfileKey &key() const { return m_key; }
    QString name() const { return QString::fromLatin1(m_key.name); }
    // The input (named field_<key>): what a problem marks and focus goes to.
    QWidget *input() const { return m_input; }
    // The input with its buttons, as the form shows it.
    QWidget *line() const { return m_line; }
    QLabel *label() const { return m_label; }
    // The problem's text (named error_<key>), shown in the editor's list of problems.
    QLabel *error() const { return m_error; }
    // A warning sign beside the input while there is a problem, the text in its tooltip (named
    // problem_<key>). Its room is kept when there is none, so the input never moves.
    QLabel *marker() const { return m_marker; }
    // Shows the problem (empty: none) at the field: the marker, the red frame and the text.
    void setProblem(const QString &text);
    // The line edit of a text, else nullptr.
    QLineEdit *lineEdit() const { return m_lineEdit; }

    void show(const Profile &profile);
    void read(Profile *profile) const;
    // Read-only rather than disabled where Qt allows it: values stay readable and copyable.
    void setLocked(bool locked);
    // An argument list whose text leaves a double quote open: it does not yet say what was meant.
    bool hasUnclosedQuote() const;
    // For a path: asks with a file dialog, starting where current points; the chosen path as
    // the field would hold it, or empty if none was chosen.
    QString choosePath(const Profile &current);
    void setPath(const QString &path);

signals:
    void edited();
    void browseRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void makeText();
    void makeNumber();
    void makeByteSize();
    void makeChoice();
    QSpinBox *makeSpinBox(int minimum, int maximum, const QString &suffix);
    QString pathForField(const QString &chosen, const QString &baseDirectory) const;

    const ProfileKey &m_key;
    QWidget *m_input = nullptr;
    QWidget *m_line = nullptr;
    QLabel *m_label = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_marker = nullptr;
    QLineEdit *m_lineEdit = nullptr;
    ArgumentsEdit *m_arguments = nullptr;
    QSpinBox *m_spin = nullptr;
    QCheckBox *m_check = nullptr; // a switch, or a number's "auto"
    QComboBox *m_combo = nullptr;
    QToolButton *m_browse = nullptr;
    // Kept in bytes so a profile's exact size survives a round trip through the MB spin box.
    qint64 m_bytes = 0;
    bool m_showing = false;
};
