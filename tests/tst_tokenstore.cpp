// TokenStore over a fake keychain backend (the only fake the project allows besides Discord's
// API): per-profile entries, the statuses the window shows, and the advice when no keychain exists.

#include "fakesecretbackend.h"
#include "secrets/tokenstore.h"

#include <QHash>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;

class TestTokenStore : public QObject {
    Q_OBJECT

private slots:
    void storeLoadRemove();
    void entriesArePerProfile();
    void unsavedProfileHasNoEntry();
    void noKeychainGivesAdvice();
    void answerForAnotherProfileIsIgnored();
};

void TestTokenStore::storeLoadRemove()
{
    FakeSecretBackend backend;
    TokenStore store(&backend);
    QSignalSpy changed(&store, &TokenStore::statusChanged);
    store.load(u"/bots/a.json"_s);
    QCOMPARE(store.status(), TokenStore::Status::Loading);
    QTRY_COMPARE(store.status(), TokenStore::Status::None);
    QVERIFY(store.token().isEmpty());

    store.store(u"  MTIz.abc.def \n"_s);
    QTRY_COMPARE(store.status(), TokenStore::Status::Stored);
    QCOMPARE(store.token(), u"MTIz.abc.def"_s); // pasted whitespace trimmed
    QCOMPARE(backend.entries.value(TokenStore::keyFor(u"/bots/a.json"_s)), u"MTIz.abc.def"_s);

    TokenStore again(&backend); // a later run
    again.load(u"/bots/a.json"_s);
    QTRY_COMPARE(again.status(), TokenStore::Status::Stored);
    QCOMPARE(again.token(), u"MTIz.abc.def"_s);

    store.remove();
    QTRY_COMPARE(store.status(), TokenStore::Status::None);
    QVERIFY(store.token().isEmpty());
    QVERIFY(backend.entries.isEmpty());
}

void TestTokenStore::entriesArePerProfile()
{
    FakeSecretBackend backend;
    TokenStore store(&backend);
    store.load(u"/bots/a.json"_s);
    QTRY_COMPARE(store.status(), TokenStore::Status::None);
    store.store(u"token-a"_s);
    QTRY_COMPARE(store.status(), TokenStore::Status::Stored);
    store.load(u"/bots/b.json"_s);
    QVERIFY(store.token().isEmpty()); // never a's token while b's loads
    QTRY_COMPARE(store.status(), TokenStore::Status::None);
    QCOMPARE(backend.entries.size(), 1);
}

void TestTokenStore::unsavedProfileHasNoEntry()
{
    FakeSecretBackend backend;
    TokenStore store(&backend);
    store.load(QString());
    QCOMPARE(store.status(), TokenStore::Status::Unknown);
    store.store(u"x"_s);
    QCOMPARE(store.status(), TokenStore::Status::Unknown);
    QVERIFY(store.message().contains(u"Save the profile first"_s));
    QVERIFY(backend.entries.isEmpty());
}

void TestTokenStore::noKeychainGivesAdvice()
{
    FakeSecretBackend backend;
    backend.forced = SecretBackend::Result::Unavailable;
    TokenStore store(&backend);
    store.load(u"/bots/a.json"_s);
    QTRY_COMPARE(store.status(), TokenStore::Status::Unavailable);
    QVERIFY(store.message().contains(u"gnome-keyring"_s));
    QVERIFY(store.message().contains(u"--token-from-env"_s));
    store.store(u"secret"_s);
    QTRY_COMPARE(store.status(), TokenStore::Status::Unavailable);
    QVERIFY(store.token().isEmpty()); // not kept as if stored
}

void TestTokenStore::answerForAnotherProfileIsIgnored()
{
    FakeSecretBackend backend;
    backend.entries.insert(TokenStore::keyFor(u"/bots/a.json"_s), u"token-a"_s);
    TokenStore store(&backend);
    store.load(u"/bots/a.json"_s);
    store.load(u"/bots/b.json"_s); // before a's answer arrives
    QTRY_COMPARE(store.status(), TokenStore::Status::None);
    QVERIFY(store.token().isEmpty());
}

QTEST_GUILESS_MAIN(TestTokenStore)
#include "tst_tokenstore.moc"
