// Tests `--headless --token-file FILE` on the real binary: the child gets the file's token
// (trimmed) under the profile's tokenEnv, a relative name is found in $CREDENTIALS_DIRECTORY first
// (systemd's LoadCredential=), a file others may read is used with a warning; an empty or missing
// file, and --token-file with --token-from-env, are refused. The token is never in the manager's
// output. The child (python3) prints only a hash and the length of what it got, so no test output
// can show the token, and a token other than the file's differs in the hash.

#include "managerprocess.h"
#include "testbot.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
const QByteArray kToken = "OTk5.token-file-secret.XyZw";
const QByteArray kDecoy = "OTk5.decoy-in-working-dir.QqRr";

// What the child prints when its BOT_TOKEN is token.
QString heard(const QByteArray &token)
{
    return u"sha256 %1 len %2"_s.arg(
        QString::fromLatin1(QCryptographicHash::hash(token, QCryptographicHash::Sha256).toHex()),
        QString::number(token.size()));
}

bool writeFile(const QString &path, const QByteArray &bytes, QFileDevice::Permissions permissions)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size()
        && f.setPermissions(permissions);
}

constexpr QFileDevice::Permissions kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
} // namespace

class TestTokenFile : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void tokenReachesTheChildOnly();
    void relativeName_data();
    void relativeName();
    void fileOthersMayReadIsUsedWithAWarning();
    void emptyFileIsRefused();
    void missingFileIsNamed();
    void withTokenFromEnvIsAUsageError();

private:
    // The profile whose child prints the hash of its BOT_TOKEN, then waits for SIGTERM.
    QString hashingProfile();
    // Runs the manager until the child has spoken; checks that the token did not show.
    void expectChildHears(Manager &m, const QByteArray &token);

    TestBot m_bot;
    QString m_startDir;
};

void TestTokenFile::initTestCase()
{
    QVERIFY(m_bot.isValid());
    QVERIFY(QFileInfo(QStringLiteral(SHARDMANAGER_PATH)).isExecutable());
    m_startDir = QDir::currentPath();
}

void TestTokenFile::cleanup()
{
    QDir::setCurrent(m_startDir);
}

QString TestTokenFile::hashingProfile()
{
    const QString script = m_bot.filePath(u"tokenhash.py"_s);
    if (!QFile::exists(script)
        && !writeFile(script,
                      "import hashlib, os, sys, time\n"
                      "t = os.environ.get('BOT_TOKEN', '').encode()\n"
                      "print('sha256 %s len %d' % (hashlib.sha256(t).hexdigest(), len(t)))\n"
                      "sys.stdout.flush()\n"
                      "time.sleep(3600)\n",
                      kOwnerOnly))
        qFatal("cannot write %s", qPrintable(script));
    return m_bot.write({{u"file"_s, u"tokenhash.py"_s},
                        {u"interpreter"_s, u"python3"_s},
                        {u"interpreterArgs"_s, QJsonArray {}},
                        {u"maxShards"_s, 1},
                        {u"tokenEnv"_s, u"BOT_TOKEN"_s}});
}

void TestTokenFile::expectChildHears(Manager &m, const QByteArray &token)
{
    QTRY_VERIFY_WITH_TIMEOUT(!m.output().isEmpty() || !m.running(), 10000);
    QVERIFY2(m.running(), qPrintable(m.err()));
    QCOMPARE(m.output().value(0), heard(token));
    m.process().terminate();
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitCode(), 0);
    const QString secret = QString::fromLatin1(kToken);
    QVERIFY(!m.err().contains(secret));
    QVERIFY(!m.lines().join(u'\n').contains(secret));
}

// Surrounding white space (a final newline above all) is not part of the token.
void TestTokenFile::tokenReachesTheChildOnly()
{
    const QString file = m_bot.filePath(u"bot.token"_s);
    QVERIFY(writeFile(file, "  " + kToken + " \n\n", kOwnerOnly));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"CREDENTIALS_DIRECTORY"_s);
    Manager m(
        {u"--headless"_s, u"--events"_s, u"json"_s, u"--token-file"_s, file, hashingProfile()},
        false, env);
    expectChildHears(m, kToken);
    QVERIFY2(!m.err().contains(u"--token-file"_s), qPrintable(m.err())); // no warning
}

void TestTokenFile::relativeName_data()
{
    QTest::addColumn<bool>("credentials");
    QTest::newRow("in $CREDENTIALS_DIRECTORY before the working directory") << true;
    QTest::newRow("from the working directory without one") << false;
}

// systemd's LoadCredential=token:PATH puts the file at $CREDENTIALS_DIRECTORY/token; the same
// name in the working directory is only a fallback.
void TestTokenFile::relativeName()
{
    QFETCH(bool, credentials);
    QTemporaryDir work;
    QTemporaryDir credentialsDir;
    QVERIFY(work.isValid() && credentialsDir.isValid());
    QVERIFY(writeFile(work.filePath(u"token"_s), kDecoy + '\n', kOwnerOnly));
    QVERIFY(writeFile(credentialsDir.filePath(u"token"_s), kToken, QFileDevice::ReadOwner));
    const QString profile = hashingProfile();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (credentials)
        env.insert(u"CREDENTIALS_DIRECTORY"_s, credentialsDir.path());
    else
        env.remove(u"CREDENTIALS_DIRECTORY"_s);
    QVERIFY(QDir::setCurrent(work.path())); // the manager's working directory
    Manager m({u"--headless"_s, u"--events"_s, u"json"_s, u"--token-file"_s, u"token"_s, profile},
              false, env);
    expectChildHears(m, credentials ? kToken : kDecoy);
}

void TestTokenFile::fileOthersMayReadIsUsedWithAWarning()
{
    const QString file = m_bot.filePath(u"shared.token"_s);
    QVERIFY(writeFile(file, kToken + '\n',
                      kOwnerOnly | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    Manager m(
        {u"--headless"_s, u"--events"_s, u"json"_s, u"--token-file"_s, file, hashingProfile()});
    expectChildHears(m, kToken);
    QVERIFY2(m.err().contains(u"other users than its owner may read "_s + file),
             qPrintable(m.err()));
}

void TestTokenFile::emptyFileIsRefused()
{
    const QString file = m_bot.filePath(u"empty.token"_s);
    QVERIFY(writeFile(file, " \n\t\n", kOwnerOnly));
    Manager m({u"--headless"_s, u"--token-file"_s, file, hashingProfile()}, true);
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(m.process().exitCode(), 2);
    QVERIFY2(m.err().contains(u"--token-file: "_s + file + u" is empty"_s), qPrintable(m.err()));
    QVERIFY(!m.err().contains(u"started"_s));
}

void TestTokenFile::missingFileIsNamed()
{
    const QString file = m_bot.filePath(u"no-such.token"_s);
    Manager m({u"--headless"_s, u"--token-file"_s, file, hashingProfile()}, true);
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitCode(), 2);
    QVERIFY2(m.err().contains(u"--token-file: cannot read "_s + file + u": No such file"_s),
             qPrintable(m.err()));
    QVERIFY(!m.err().contains(u"started"_s));
}

void TestTokenFile::withTokenFromEnvIsAUsageError()
{
    const QString file = m_bot.filePath(u"both.token"_s);
    QVERIFY(writeFile(file, kToken, kOwnerOnly));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"MY_SECRET"_s, QString::fromLatin1(kToken));
    Manager m({u"--headless"_s, u"--token-from-env"_s, u"MY_SECRET"_s, u"--token-file"_s, file,
               hashingProfile()},
              true, env);
    QVERIFY(m.finish());
    QCOMPARE(m.process().exitCode(), 64);
    QVERIFY2(m.err().contains(u"--token-file"_s) && m.err().contains(u"--token-from-env"_s),
             qPrintable(m.err()));
    QVERIFY(!m.err().contains(QString::fromLatin1(kToken)));
}

QTEST_GUILESS_MAIN(TestTokenFile)
#include "tst_tokenfile.moc"
