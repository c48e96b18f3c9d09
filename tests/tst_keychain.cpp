// One real round trip through QtKeychain and the desktop's Secret Service: store, read back,
// remove. Without a keychain it skips, unless SHARD_REQUIRE_KEYCHAIN=1 (CI runs it that way inside
// dbus-run-session with an unlocked gnome-keyring: scripts/run-keychain-test.sh). CTest shows the
// skip as Skipped by the QSKIP message below (tests/CMakeLists.txt matches it: keep them alike).

#include "secrets/secretbackend.h"
#include "secrets/tokenstore.h"

#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;

class TestKeychain : public QObject {
    Q_OBJECT

private slots:
    void roundTrip();
};

void TestKeychain::roundTrip()
{
    KeychainBackend backend;
    TokenStore store(&backend);
    // A profile path of our own: never touch a real profile's entry.
    const QString profile = u"/tmp/shard-manager-keychain-test-%1.json"_s.arg(
        QUuid::createUuid().toString(QUuid::Id128));
    store.load(profile);
    QTRY_VERIFY_WITH_TIMEOUT(store.status() != TokenStore::Status::Loading, 20000);
    if (store.status() == TokenStore::Status::Unavailable) {
        if (qEnvironmentVariableIntValue("SHARD_REQUIRE_KEYCHAIN"))
            QFAIL(qPrintable(u"no keychain, but SHARD_REQUIRE_KEYCHAIN is set: "_s
                             + store.message()));
        QSKIP("no Secret Service here (scripts/run-keychain-test.sh provides one)");
    }
    QCOMPARE(store.status(), TokenStore::Status::None);

    const QString token = u"MTEx.round-trip."_s + QUuid::createUuid().toString(QUuid::Id128);
    store.store(token);
    QTRY_VERIFY_WITH_TIMEOUT(store.status() != TokenStore::Status::Loading, 20000);
    QCOMPARE(store.status(), TokenStore::Status::Stored);

    // A fresh store (a later run of the manager) reads it back from the keychain itself.
    TokenStore later(&backend);
    later.load(profile);
    QTRY_VERIFY_WITH_TIMEOUT(later.status() != TokenStore::Status::Loading, 20000);
    QCOMPARE(later.status(), TokenStore::Status::Stored);
    QVERIFY(later.token() == token); // not QCOMPARE: a failure would print the token

    later.remove();
    QTRY_VERIFY_WITH_TIMEOUT(later.status() != TokenStore::Status::Loading, 20000);
    QCOMPARE(later.status(), TokenStore::Status::None);
    TokenStore gone(&backend);
    gone.load(profile);
    QTRY_VERIFY_WITH_TIMEOUT(gone.status() != TokenStore::Status::Loading, 20000);
    QCOMPARE(gone.status(), TokenStore::Status::None);
}

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
