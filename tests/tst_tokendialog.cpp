// The token dialog, offscreen, on a fake keychain: after Remove it no longer says a token is
// stored; a long error grows the dialog instead of being cut; a dismissed keychain prompt reads
// as cancelled, and a missing keychain as "no keychain" with advice first, never the raw D-Bus
// text as the headline.

#include "fakesecretbackend.h"
#include "secrets/tokenstore.h"
#include "tokendialog.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

class TestTokenDialog : public QObject {
    Q_OBJECT

private slots:
    void init();
    void removeUpdatesThePlaceholder();
    void longErrorGrowsTheDialog();
    void cancelledPromptReadsAsCancelled();
    void keychainErrorsAreMapped();

private:
    QString profilePath() const { return m_dir.filePath(u"bot.json"_s); }

    QTemporaryDir m_dir;
    FakeSecretBackend m_backend;
};

void TestTokenDialog::init()
{
    m_backend.entries.clear();
    m_backend.forced = SecretBackend::Result::Ok;
}

void TestTokenDialog::removeUpdatesThePlaceholder()
{
    m_backend.entries.insert(TokenStore::keyFor(profilePath()), u"secret-token"_s);
    TokenStore store(&m_backend);
    store.load(profilePath());
    QTRY_COMPARE(store.status(), TokenStore::Status::Stored);
    TokenDialog dialog(&store);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *edit = dialog.findChild<QLineEdit *>(u"tokenEdit"_s);
    QVERIFY(edit->placeholderText().contains(u"stored"_s));

    dialog.findChild<QPushButton *>(u"removeToken"_s)->click();
    QTRY_COMPARE(store.status(), TokenStore::Status::None);
    QVERIFY2(!edit->placeholderText().contains(u"stored"_s), qPrintable(edit->placeholderText()));
}

void TestTokenDialog::longErrorGrowsTheDialog()
{
    TokenStore store(&m_backend);
    store.load(profilePath());
    QTRY_COMPARE(store.status(), TokenStore::Status::None);
    TokenDialog dialog(&store);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *status = dialog.findChild<QLabel *>(u"tokenStatus"_s);
    const int heightBefore = dialog.height();

    // The keychain goes away; saving now brings the long advice.
    m_backend.forced = SecretBackend::Result::Unavailable;
    dialog.findChild<QLineEdit *>(u"tokenEdit"_s)->setText(u"a-token"_s);
    dialog.findChild<QPushButton *>(u"saveToken"_s)->click();
    QTRY_COMPARE(store.status(), TokenStore::Status::Unavailable);
    QTRY_VERIFY2(
        status->height() >= status->heightForWidth(status->width()),
        qPrintable(
            u"%1 px for %2"_s.arg(status->height()).arg(status->heightForWidth(status->width()))));
    QVERIFY(dialog.height() > heightBefore);
}

void TestTokenDialog::cancelledPromptReadsAsCancelled()
{
    m_backend.forced = SecretBackend::Result::Cancelled;
    TokenStore store(&m_backend);
    store.load(profilePath());
    QTRY_COMPARE(store.status(), TokenStore::Status::Cancelled);
    TokenDialog dialog(&store);
    const QString text = dialog.findChild<QLabel *>(u"tokenStatus"_s)->text();
    QVERIFY2(text.contains(u"cancelled"_s), qPrintable(text));
    QVERIFY2(!text.contains(u"No keychain"_s, Qt::CaseInsensitive), qPrintable(text));
    QVERIFY2(!text.contains(u"freedesktop"_s), qPrintable(text));

    // Cancelled while saving: the token there still holds, nothing is called broken.
    m_backend.forced = SecretBackend::Result::Ok;
    m_backend.entries.insert(TokenStore::keyFor(profilePath()), u"old"_s);
    store.load(profilePath());
    QTRY_COMPARE(store.status(), TokenStore::Status::Stored);
    m_backend.forced = SecretBackend::Result::Cancelled;
    store.store(u"new"_s);
    QTRY_COMPARE(store.status(), TokenStore::Status::Stored);
    QVERIFY(store.message().contains(u"Cancelled"_s));
    QVERIFY(store.token() == u"old"_s);
}

void TestTokenDialog::keychainErrorsAreMapped()
{
    using R = SecretBackend::Result;
    QCOMPARE(KeychainBackend::resultOf(QKeychain::AccessDeniedByUser, u"denied"_s), R::Cancelled);
    QCOMPARE(KeychainBackend::resultOf(QKeychain::OtherError, u"Cancelled by user"_s),
             R::Cancelled);
    QCOMPARE(KeychainBackend::resultOf(QKeychain::OtherError, u"Prompt dismissed"_s), R::Cancelled);
    const QString noService
        = u"org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not "
          u"provided by any .service files"_s;
    QCOMPARE(KeychainBackend::resultOf(QKeychain::OtherError, noService), R::Unavailable);
    QCOMPARE(KeychainBackend::resultOf(QKeychain::NoBackendAvailable, QString()), R::Unavailable);
    QCOMPARE(KeychainBackend::resultOf(QKeychain::AccessDenied, u"locked"_s), R::Denied);

    // No keychain: the headline says so and what to do; the raw text is only a detail after it.
    TokenStore store(&m_backend);
    m_backend.forced = R::Unavailable;
    store.load(profilePath());
    QTRY_COMPARE(store.status(), TokenStore::Status::Unavailable);
    QCOMPARE(TokenStore::statusText(store.status()), u"no keychain"_s);
    QVERIFY(store.message().startsWith(u"No keychain"_s));
    QVERIFY(store.message().indexOf(u"freedesktop"_s) > store.message().indexOf(u"Details: "_s));
}

QTEST_MAIN(TestTokenDialog)
#include "tst_tokendialog.moc"
