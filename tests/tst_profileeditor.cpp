// Tests the profile editor built from the schema: a field for every key, every value shown and
// read back unchanged (byte sizes to the byte), problems shown at their field, edits reported,
// and a locked form that cannot be changed.

#include "planpreview.h"
#include "profile/profileschema.h"
#include "profileeditor.h"
#include "profilesamples.h"
#include "text/translations.h"

#include <QAbstractSpinBox>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;

class TestProfileEditor : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void everyKeyHasAField();
    void everyValueRoundTrips();
    void autoKeepsTheNumber();
    void problemsShowAtTheirField();
    void unclosedQuoteIsAProblem();
    void editsAreReported();
    void lockedFieldsCannotChange();
    void planPreviewSaysLongStartsInPlainUnits_data();
    void planPreviewSaysLongStartsInPlainUnits();

private:
    template<typename T> T *field(const QString &key) const
    {
        return m_editor->findChild<T *>(u"field_"_s + key);
    }

    QTemporaryDir m_dir;
    ProfileEditor *m_editor = nullptr;
};

void TestProfileEditor::init()
{
    QVERIFY(m_dir.isValid());
    m_editor = new ProfileEditor;
}

void TestProfileEditor::cleanup()
{
    delete m_editor;
    m_editor = nullptr;
}

void TestProfileEditor::everyKeyHasAField()
{
    for (const ProfileKey &key : ProfileSchema::keys()) {
        const QString name = QString::fromLatin1(key.name);
        QWidget *input = field<QWidget>(name);
        QVERIFY2(input, key.name);
        QVERIFY2(!input->toolTip().isEmpty(), key.name);
        QVERIFY2(m_editor->findChild<QLabel *>(u"error_"_s + name), key.name);
    }
}

void TestProfileEditor::everyValueRoundTrips()
{
    // Every key away from its default and inside what its field takes.
    Profile p = ProfileSamples::everyKeyChanged();
    p.baseDirectory = m_dir.path();
    const Profile defaults;
    for (const ProfileKey &key : ProfileSchema::keys())
        QVERIFY2(key.value(p) != key.value(defaults), key.name);

    m_editor->setProfile(p);
    const Profile shown = m_editor->profile();
    for (const ProfileKey &key : ProfileSchema::keys())
        QVERIFY2(key.value(shown) == key.value(p), key.name);
    QVERIFY(shown == p);

    // And back to the defaults: nothing of the last profile stays behind.
    Profile fresh;
    fresh.baseDirectory = m_dir.path();
    m_editor->setProfile(fresh);
    QVERIFY(m_editor->profile() == fresh);
}

void TestProfileEditor::autoKeepsTheNumber()
{
    Profile p;
    p.maxShards = 32;
    p.maxShardsAuto = true;
    m_editor->setProfile(p);
    QVERIFY(!field<QSpinBox>(u"maxShards"_s)->isEnabled());
    QVERIFY(m_editor->profile() == p);

    // Unticking "auto" brings the number back, as the user last saw it.
    QSignalSpy edited(m_editor, &ProfileEditor::profileEdited);
    field<QCheckBox>(u"maxShardsAuto"_s)->setChecked(false);
    QCOMPARE(edited.size(), 1);
    QVERIFY(field<QSpinBox>(u"maxShards"_s)->isEnabled());
    QVERIFY(!m_editor->profile().maxShardsAuto);
    QCOMPARE(m_editor->profile().maxShards, 32);
}

void TestProfileEditor::problemsShowAtTheirField()
{
    Profile p;
    p.baseDirectory = m_dir.path();
    p.file = u"missing.lua"_s;
    p.interpreter = QStringLiteral(FAKESHARD_PATH);
    m_editor->setProfile(p);

    const QList<ProfileError> errors = m_editor->errors();
    QVERIFY(!m_editor->isValid());
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().key, u"file"_s);
    auto *error = m_editor->findChild<QLabel *>(u"error_file"_s);
    QVERIFY(error->isVisibleTo(m_editor));
    QCOMPARE(error->text(), errors.first().message);
    QVERIFY(field<QLineEdit>(u"file"_s)->property("invalid").toBool());
    QVERIFY(!m_editor->findChild<QLabel *>(u"error_port"_s)->isVisibleTo(m_editor));
    QVERIFY(!field<QSpinBox>(u"port"_s)->property("invalid").toBool());

    // Fixed, the mark goes.
    QSignalSpy validity(m_editor, &ProfileEditor::validityChanged);
    field<QLineEdit>(u"file"_s)->setText(QStringLiteral(FAKESHARD_PATH));
    QCOMPARE(validity.size(), 1);
    QVERIFY(m_editor->isValid());
    QVERIFY(!error->isVisibleTo(m_editor));
    QVERIFY(!field<QLineEdit>(u"file"_s)->property("invalid").toBool());
}

void TestProfileEditor::unclosedQuoteIsAProblem()
{
    field<QLineEdit>(u"arguments"_s)->setText(u"--name \"my bot"_s);
    bool found = false;
    for (const ProfileError &e : m_editor->errors())
        found = found || e.key == u"arguments"_s;
    QVERIFY(found);
    QVERIFY(m_editor->findChild<QLabel *>(u"error_arguments"_s)->isVisibleTo(m_editor));
}

void TestProfileEditor::editsAreReported()
{
    QSignalSpy edited(m_editor, &ProfileEditor::profileEdited);
    Profile p;
    p.port = 5000;
    p.memoryWarn = 1000000;
    m_editor->setProfile(p);
    QCOMPARE(edited.size(), 0); // showing a profile is no edit

    field<QSpinBox>(u"port"_s)->setValue(5001);
    field<QComboBox>(u"ipcAccept"_s)->setCurrentIndex(1);
    field<QCheckBox>(u"silent"_s)->setChecked(true);
    field<QSpinBox>(u"memoryWarn"_s)->setValue(3);
    QCOMPARE(edited.size(), 4);
    const Profile shown = m_editor->profile();
    QCOMPARE(shown.port, 5001);
    QCOMPARE(shown.ipcAccept, Profile::IpcAccept::Any);
    QVERIFY(shown.silent);
    QCOMPARE(shown.memoryWarn, qint64(3000000));
}

void TestProfileEditor::lockedFieldsCannotChange()
{
    m_editor->setLocked(true);
    QVERIFY(field<QLineEdit>(u"file"_s)->isReadOnly());
    QVERIFY(field<QLineEdit>(u"arguments"_s)->isReadOnly());
    QVERIFY(!field<QLineEdit>(u"logFile"_s)->isClearButtonEnabled());
    QVERIFY(field<QSpinBox>(u"waitTime"_s)->isReadOnly());
    QVERIFY(field<QSpinBox>(u"memoryLimit"_s)->isReadOnly());
    QVERIFY(!field<QCheckBox>(u"autoRestart"_s)->isEnabled());
    QVERIFY(!field<QCheckBox>(u"maxShardsAuto"_s)->isEnabled());
    QVERIFY(!field<QComboBox>(u"ipcAccept"_s)->isEnabled());
    QVERIFY(!m_editor->findChild<QToolButton *>(u"browse_file"_s)->isEnabled());
    QVERIFY(m_editor->findChild<QLabel *>(u"lockedNote"_s)->isVisibleTo(m_editor));

    m_editor->setLocked(false);
    QVERIFY(!field<QLineEdit>(u"file"_s)->isReadOnly());
    QVERIFY(field<QLineEdit>(u"logFile"_s)->isClearButtonEnabled());
    QVERIFY(!field<QLineEdit>(u"file"_s)->isClearButtonEnabled()); // only keys that may be empty
    QVERIFY(!field<QSpinBox>(u"waitTime"_s)->isReadOnly());
    QVERIFY(field<QCheckBox>(u"autoRestart"_s)->isEnabled());
    QVERIFY(m_editor->findChild<QToolButton *>(u"browse_file"_s)->isEnabled());
}

void TestProfileEditor::planPreviewSaysLongStartsInPlainUnits_data()
{
    QTest::addColumn<int>("shards");
    QTest::addColumn<int>("waitTimeMs");
    QTest::addColumn<QString>("caption");
    QTest::newRow("short: seconds only")
        << 3 << 5000 << u"3 shards in 3 processes, all started after 10.0 s"_s;
    QTest::newRow("minutes")
        << 100 << 5000
        << u"100 shards in 100 processes, all started after 495.0 s (about 8 min 15 s)"_s;
    QTest::newRow("days")
        << 50000 << 5000
        << u"50000 shards in 50000 processes, all started after 249995.0 s (about 2 d 21 h)"_s;
}

// The caption's plain units come from the one duration formatter (Units::duration), in the
// program's English plural forms.
void TestProfileEditor::planPreviewSaysLongStartsInPlainUnits()
{
    QFETCH(int, shards);
    QFETCH(int, waitTimeMs);
    QFETCH(QString, caption);
    static bool installed = false;
    if (!installed) {
        Translations::install(*QCoreApplication::instance());
        installed = true;
    }
    PlanPreview preview;
    preview.showPlan(shards, 1, waitTimeMs);
    QStringList texts;
    for (const QLabel *label : preview.findChildren<QLabel *>())
        texts << label->text();
    QVERIFY2(texts.contains(caption), qPrintable(texts.join(u" | "_s)));
}

QTEST_MAIN(TestProfileEditor)
#include "tst_profileeditor.moc"
