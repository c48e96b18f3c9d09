// Tests Profile (DESIGN §2, §3): parsing with one error per bad key, defaults, semantic checks
// that name their key, path resolution against the profile's folder, and save/load round trips.

#include "profile/profile.h"
#include "profile/profileschema.h"
#include "profilesamples.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <tuple>

using namespace Qt::StringLiterals;

namespace {

// Every field as a QVariant, keyed by its JSON name, so tables can name the field they expect.
QVariant fieldValue(const Profile &p, const QString &key)
{
    if (key == u"file"_s)
        return p.file;
    if (key == u"interpreter"_s)
        return p.interpreter;
    if (key == u"interpreterArgs"_s)
        return p.interpreterArgs;
    if (key == u"workingDirectory"_s)
        return p.workingDirectory;
    if (key == u"port"_s)
        return p.port;
    if (key == u"host"_s)
        return p.host;
    if (key == u"maxShards"_s)
        return p.maxShardsAuto ? QVariant(u"auto"_s) : QVariant(p.maxShards);
    if (key == u"shardsPerProcess"_s)
        return p.shardsPerProcess;
    if (key == u"waitTime"_s)
        return p.waitTime;
    if (key == u"arguments"_s)
        return p.arguments;
    if (key == u"autoRestart"_s)
        return p.autoRestart;
    if (key == u"silent"_s)
        return p.silent;
    if (key == u"logFile"_s)
        return p.logFile;
    if (key == u"timestamp"_s)
        return p.timestamp;
    if (key == u"tokenEnv"_s)
        return p.tokenEnv;
    if (key == u"stopTimeout"_s)
        return p.stopTimeout;
    if (key == u"restartDelay"_s)
        return p.restartDelay;
    if (key == u"restartDelayMax"_s)
        return p.restartDelayMax;
    if (key == u"maxRestarts"_s)
        return p.maxRestarts;
    if (key == u"restartWindow"_s)
        return p.restartWindow;
    if (key == u"ipcAccept"_s)
        return p.ipcAccept == Profile::IpcAccept::Any ? u"any"_s : u"children"_s;
    if (key == u"discordApi"_s)
        return p.discordApi;
    if (key == u"memoryWarn"_s)
        return p.memoryWarn;
    if (key == u"memoryLimit"_s)
        return p.memoryLimit;
    if (key == u"memoryRestart"_s)
        return p.memoryRestart;
    return QVariant();
}

QString describe(const QList<ProfileError> &errors)
{
    QStringList lines;
    for (const ProfileError &e : errors)
        lines << e.toString();
    return lines.join(u"; "_s);
}

bool writeFile(const QString &path, const QByteArray &contents)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(contents) == contents.size();
}

} // namespace

class TestProfile : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();

    void keysMatchDesign();
    void readmeTableMatchesSchema();
    void defaults_data();
    void defaults();
    void requiresFile();
    void unknownKeyIsNamed();
    void emptyKeyIsNamed();
    void everyBadKeyIsReported();
    void wrongType_data();
    void wrongType();
    void acceptedValues_data();
    void acceptedValues();
    void invalidJson_data();
    void invalidJson();
    void notAnObject();
    void unreadableFile();
    void validate_data();
    void validate();
    void relativePathsResolveAgainstProfileFolder();
    void absoluteAndHomePaths();
    void roundTrip();
    void roundTripDefaultsStaysShort();
    void roundTripAuto();
    void equalityCoversEveryKey();
    void saveFailureIsReported();
    void byteSizes_data();
    void byteSizes();

private:
    QTemporaryDir m_dir;
};

void TestProfile::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(writeFile(m_dir.filePath(u"bot.lua"_s), "print('hi')\n"));
    QVERIFY(writeFile(m_dir.filePath(u"notexec.txt"_s), "not a program\n"));
    QVERIFY(QDir(m_dir.path()).mkpath(u"folder"_s));
    // The test runs from elsewhere: relative paths must not work by accident.
    QVERIFY(QDir::currentPath() != m_dir.path());
}

void TestProfile::keysMatchDesign()
{
    const QStringList design {u"file"_s,
                              u"interpreter"_s,
                              u"interpreterArgs"_s,
                              u"workingDirectory"_s,
                              u"port"_s,
                              u"host"_s,
                              u"maxShards"_s,
                              u"shardsPerProcess"_s,
                              u"waitTime"_s,
                              u"arguments"_s,
                              u"autoRestart"_s,
                              u"silent"_s,
                              u"logFile"_s,
                              u"timestamp"_s,
                              u"tokenEnv"_s,
                              u"stopTimeout"_s,
                              u"restartDelay"_s,
                              u"restartDelayMax"_s,
                              u"maxRestarts"_s,
                              u"restartWindow"_s,
                              u"ipcAccept"_s,
                              u"discordApi"_s,
                              u"memoryWarn"_s,
                              u"memoryLimit"_s,
                              u"memoryRestart"_s};
    QStringList keys = Profile::keys();
    QStringList expected = design;
    keys.sort();
    expected.sort();
    QCOMPARE(keys, expected);
}

// The README's table of profile keys ("| key | default | meaning |"): each row names one or more
// keys ("`a` / `b`") with as many defaults. Every key of the schema is there once, no other key
// is, and each default written as a value ("`1337`", "`"children"`", "`1.5GB`") reads, through
// the schema, as the key's default; one written in words ("(required)", "folder of `file`")
// stands for a default the code fills in, so the schema's must be empty.
void TestProfile::readmeTableMatchesSchema()
{
    QFile readme(QStringLiteral(README_PATH));
    QVERIFY2(readme.open(QIODevice::ReadOnly), qPrintable(readme.fileName()));
    const QStringList lines = QString::fromUtf8(readme.readAll()).split(u'\n');
    const qsizetype header = lines.indexOf(u"| key | default | meaning |"_s);
    QVERIFY2(header >= 0, "README has no table of profile keys");

    static const QRegularExpression cellBorder(u"\\s*(?<!\\\\)\\|\\s*"_s); // "|", not "\|"
    static const QRegularExpression value(u"^`([^`]*)`$"_s);
    QStringList documented;
    for (qsizetype i = header + 2; i < lines.size() && lines.at(i).startsWith(u'|'); ++i) {
        const QStringList cells = lines.at(i).split(cellBorder);
        QVERIFY2(cells.size() == 5, qPrintable(lines.at(i))); // empty, key, default, meaning, empty
        const QStringList names = cells.at(1).split(u" / "_s);
        const QStringList defaults = cells.at(2).split(u" / "_s);
        QVERIFY2(names.size() == defaults.size(), qPrintable(lines.at(i)));
        for (qsizetype k = 0; k < names.size(); ++k) {
            const QString name = value.match(names.at(k)).captured(1);
            QVERIFY2(!name.isEmpty(), qPrintable(lines.at(i)));
            QVERIFY2(!documented.contains(name), qPrintable(u"twice in the README: "_s + name));
            documented << name;
            const ProfileKey *key = ProfileSchema::find(name);
            QVERIFY2(key, qPrintable(u"in the README but no key: "_s + name));

            const QRegularExpressionMatch written = value.match(defaults.at(k));
            if (!written.hasMatch()) {
                const QJsonValue fallback = key->defaultValue();
                QVERIFY2(fallback.isNull() || fallback == QJsonValue(QString()),
                         qPrintable(name + u": the README describes a default the schema has"_s));
                continue;
            }
            // JSON where the text is JSON (numbers, true, null, [], "children"), else text.
            const QString text = written.captured(1);
            const QJsonArray parsed
                = QJsonDocument::fromJson(u"["_s.append(text).append(u']').toUtf8()).array();
            const QJsonValue json = parsed.size() == 1 ? parsed.first() : QJsonValue(text);
            Profile p;
            QString error;
            QVERIFY2(key->setValue(&p, json, &error), qPrintable(name + u": "_s + error));
            QVERIFY2(key->isDefault(p), qPrintable(name + u": the README's default is "_s + text));
        }
    }
    QStringList keys = Profile::keys();
    keys.sort();
    documented.sort();
    QCOMPARE(documented, keys);
}

void TestProfile::defaults_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QVariant>("expected");

    // The values of the DESIGN §2 table, written out rather than taken from Profile itself.
    QTest::newRow("interpreter") << u"interpreter"_s << QVariant(u"luvit"_s);
    QTest::newRow("interpreterArgs") << u"interpreterArgs"_s << QVariant(QStringList());
    QTest::newRow("workingDirectory") << u"workingDirectory"_s << QVariant(QString());
    QTest::newRow("port") << u"port"_s << QVariant(1337);
    QTest::newRow("host") << u"host"_s << QVariant(u"127.0.0.1"_s);
    QTest::newRow("maxShards") << u"maxShards"_s << QVariant(10);
    QTest::newRow("shardsPerProcess") << u"shardsPerProcess"_s << QVariant(1);
    QTest::newRow("waitTime") << u"waitTime"_s << QVariant(2500);
    QTest::newRow("arguments") << u"arguments"_s << QVariant(QStringList());
    QTest::newRow("autoRestart") << u"autoRestart"_s << QVariant(true);
    QTest::newRow("silent") << u"silent"_s << QVariant(false);
    QTest::newRow("logFile") << u"logFile"_s << QVariant(QString());
    QTest::newRow("timestamp") << u"timestamp"_s << QVariant(u"!%Y-%m-%dT%H:%M:%S"_s);
    QTest::newRow("tokenEnv") << u"tokenEnv"_s << QVariant(u"DISCORD_TOKEN"_s);
    QTest::newRow("stopTimeout") << u"stopTimeout"_s << QVariant(10000);
    QTest::newRow("restartDelay") << u"restartDelay"_s << QVariant(1000);
    QTest::newRow("restartDelayMax") << u"restartDelayMax"_s << QVariant(60000);
    QTest::newRow("maxRestarts") << u"maxRestarts"_s << QVariant(5);
    QTest::newRow("restartWindow") << u"restartWindow"_s << QVariant(60000);
    QTest::newRow("ipcAccept") << u"ipcAccept"_s << QVariant(u"children"_s);
    QTest::newRow("discordApi") << u"discordApi"_s << QVariant(u"https://discord.com/api/v10"_s);
    QTest::newRow("memoryWarn") << u"memoryWarn"_s << QVariant(qint64(1500000000));
    QTest::newRow("memoryLimit") << u"memoryLimit"_s << QVariant(qint64(1900000000));
    QTest::newRow("memoryRestart") << u"memoryRestart"_s << QVariant(false);
}

void TestProfile::defaults()
{
    QFETCH(QString, key);
    QFETCH(QVariant, expected);

    QList<ProfileError> errors;
    const Profile p = Profile::fromJson(R"({"file": "bot.lua"})", m_dir.path(), &errors);
    QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));
    QCOMPARE(fieldValue(p, key), expected);
    QVERIFY(!p.maxShardsAuto);
    // workingDirectory defaults to the bot file's folder.
    QCOMPARE(p.resolvedWorkingDirectory(), m_dir.path());
}

void TestProfile::requiresFile()
{
    QList<ProfileError> errors;
    Profile::fromJson(R"({"maxShards": 4})", m_dir.path(), &errors);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().key, u"file"_s);

    // A profile built in code (a form) is checked the same way.
    Profile p;
    p.interpreter = QStringLiteral(FAKESHARD_PATH);
    const QList<ProfileError> problems = p.validate();
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first().key, u"file"_s);
}

void TestProfile::unknownKeyIsNamed()
{
    QList<ProfileError> errors;
    Profile::fromJson(R"({"file": "bot.lua", "shardCount": 4})", m_dir.path(), &errors);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().key, u"shardCount"_s);
    QVERIFY2(errors.first().message.contains(u"unknown"_s), qPrintable(errors.first().message));
    QVERIFY(errors.first().toString().startsWith(u"shardCount: "_s));
}

void TestProfile::emptyKeyIsNamed()
{
    // A key with an empty name: what is wrong must still say which key, not just "unknown key".
    QList<ProfileError> errors;
    Profile::fromJson(R"({"file": "bot.lua", "": 1})", m_dir.path(), &errors);
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().toString().contains(u"\"\""_s), qPrintable(errors.first().toString()));
}

void TestProfile::everyBadKeyIsReported()
{
    QList<ProfileError> errors;
    Profile::fromJson(R"({"file": "bot.lua", "colour": 1, "port": "x", "silent": 3, "Port": 2})",
                      m_dir.path(), &errors);
    QStringList keys;
    for (const ProfileError &e : errors)
        keys << e.key;
    keys.sort();
    QCOMPARE(keys, QStringList({u"Port"_s, u"colour"_s, u"port"_s, u"silent"_s}));
}

void TestProfile::wrongType_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QByteArray>("value");

    const QList<std::pair<const char *, QByteArray>> rows {
        {"file", "5"},
        {"file", "null"},
        {"file", "[\"bot.lua\"]"},
        {"interpreter", "true"},
        {"interpreter", "null"},
        {"interpreterArgs", "\"--flag\""},
        {"interpreterArgs", "[true]"},
        {"interpreterArgs", "[[\"a\"]]"},
        {"interpreterArgs", "{}"},
        {"workingDirectory", "3"},
        {"workingDirectory", "false"},
        {"port", "\"1337\""},
        {"port", "1.5"},
        {"port", "true"},
        {"port", "1e12"},
        {"host", "1"},
        {"host", "null"},
        {"maxShards", "\"foo\""},
        {"maxShards", "true"},
        {"maxShards", "2.5"},
        {"maxShards", "null"},
        {"shardsPerProcess", "\"2\""},
        {"shardsPerProcess", "1.5"},
        {"waitTime", "[]"},
        {"waitTime", "\"2500\""},
        {"arguments", "{}"},
        {"arguments", "\"a b\""},
        {"arguments", "[null]"},
        {"autoRestart", "\"yes\""},
        {"autoRestart", "1"},
        {"silent", "0"},
        {"silent", "null"},
        {"logFile", "7"},
        {"logFile", "true"},
        {"timestamp", "null"},
        {"timestamp", "5"},
        {"tokenEnv", "5"},
        {"tokenEnv", "null"},
        {"stopTimeout", "\"10\""},
        {"restartDelay", "true"},
        {"restartDelayMax", "\"x\""},
        {"maxRestarts", "2.5"},
        {"restartWindow", "null"},
        {"ipcAccept", "\"all\""},
        {"ipcAccept", "1"},
        {"ipcAccept", "true"},
        {"discordApi", "3"},
        {"memoryWarn", "\"lots\""},
        {"memoryWarn", "-1"},
        {"memoryWarn", "true"},
        {"memoryWarn", "\"1.5TB\""},
        {"memoryLimit", "true"},
        {"memoryLimit", "\"GB\""},
        {"memoryLimit", "[]"},
        {"memoryRestart", "\"no\""},
        {"memoryRestart", "0"},
    };
    for (const auto &[key, value] : rows)
        QTest::addRow("%s=%s", key, value.constData()) << QString::fromLatin1(key) << value;
}

void TestProfile::wrongType()
{
    QFETCH(QString, key);
    QFETCH(QByteArray, value);

    const QByteArray json = key == u"file"_s
        ? QByteArray("{\"file\": " + value + "}")
        : QByteArray("{\"file\": \"bot.lua\", \"" + key.toLatin1() + "\": " + value + "}");
    QList<ProfileError> errors;
    Profile::fromJson(json, m_dir.path(), &errors);
    QVERIFY2(errors.size() == 1, qPrintable(describe(errors)));
    QCOMPARE(errors.first().key, key);
    // The message says what was given, so the user sees the typo.
    QVERIFY2(errors.first().message.contains(u"(got "_s), qPrintable(errors.first().message));
}

void TestProfile::acceptedValues_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QVariant>("expected");

    QTest::newRow("maxShards auto")
        << u"maxShards"_s << QByteArray("\"auto\"") << QVariant(u"auto"_s);
    QTest::newRow("maxShards number") << u"maxShards"_s << QByteArray("64") << QVariant(64);
    QTest::newRow("port 1") << u"port"_s << QByteArray("1") << QVariant(1);
    QTest::newRow("memoryWarn 1.5GB")
        << u"memoryWarn"_s << QByteArray("\"1.5GB\"") << QVariant(qint64(1500000000));
    QTest::newRow("memoryWarn 1.5 gb")
        << u"memoryWarn"_s << QByteArray("\"1.5 gb\"") << QVariant(qint64(1500000000));
    QTest::newRow("memoryWarn number")
        << u"memoryWarn"_s << QByteArray("1000000") << QVariant(qint64(1000000));
    QTest::newRow("memoryLimit 1900M")
        << u"memoryLimit"_s << QByteArray("\"1900M\"") << QVariant(qint64(1900000000));
    QTest::newRow("memoryLimit 2GiB")
        << u"memoryLimit"_s << QByteArray("\"2GiB\"") << QVariant(qint64(2147483648));
    QTest::newRow("logFile null") << u"logFile"_s << QByteArray("null") << QVariant(QString());
    QTest::newRow("logFile") << u"logFile"_s << QByteArray("\"shards.log\"")
                             << QVariant(u"shards.log"_s);
    QTest::newRow("workingDirectory null")
        << u"workingDirectory"_s << QByteArray("null") << QVariant(QString());
    QTest::newRow("interpreterArgs numbers as text")
        << u"interpreterArgs"_s << QByteArray("[\"-e\", 5, 2.5]")
        << QVariant(QStringList {u"-e"_s, u"5"_s, u"2.5"_s});
    QTest::newRow("arguments") << u"arguments"_s << QByteArray("[\"--x\", \"y z\", \"\"]")
                               << QVariant(QStringList {u"--x"_s, u"y z"_s, QString()});
    QTest::newRow("ipcAccept any") << u"ipcAccept"_s << QByteArray("\"any\"") << QVariant(u"any"_s);
    QTest::newRow("ipcAccept children")
        << u"ipcAccept"_s << QByteArray("\"children\"") << QVariant(u"children"_s);
    QTest::newRow("autoRestart false")
        << u"autoRestart"_s << QByteArray("false") << QVariant(false);
    QTest::newRow("stopTimeout") << u"stopTimeout"_s << QByteArray("250") << QVariant(250);
}

void TestProfile::acceptedValues()
{
    QFETCH(QString, key);
    QFETCH(QByteArray, value);
    QFETCH(QVariant, expected);

    QList<ProfileError> errors;
    const Profile p
        = Profile::fromJson("{\"file\": \"bot.lua\", \"" + key.toLatin1() + "\": " + value + "}",
                            m_dir.path(), &errors);
    QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));
    QCOMPARE(fieldValue(p, key), expected);
}

void TestProfile::invalidJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");

    QTest::newRow("missing value")
        << QByteArray("{\n  \"file\": \"bot.lua\",\n  \"port\": ,\n}\n") << 3 << 11;
    QTest::newRow("first line") << QByteArray("{\"file\" \"bot.lua\"}") << 1 << 9;
    QTest::newRow("start of a line")
        << QByteArray("{\"file\": \"bot.lua\"\n\"port\": 1}") << 2 << 1;
    QTest::newRow("trailing garbage") << QByteArray("{\"file\": \"bot.lua\"}\n  x") << 2 << 3;
}

void TestProfile::invalidJson()
{
    QFETCH(QByteArray, json);
    QFETCH(int, line);
    QFETCH(int, column);

    QList<ProfileError> errors;
    Profile::fromJson(json, m_dir.path(), &errors);
    QCOMPARE(errors.size(), 1);
    const QString message = errors.first().message;
    QVERIFY2(message.contains(u"line %1, column %2"_s.arg(line).arg(column)), qPrintable(message));
}

void TestProfile::notAnObject()
{
    QList<ProfileError> errors;
    Profile::fromJson("[\"file\"]", m_dir.path(), &errors);
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().message.contains(u"object"_s), qPrintable(errors.first().message));
}

void TestProfile::unreadableFile()
{
    const QString path = m_dir.filePath(u"no-such-profile.json"_s);
    QList<ProfileError> errors;
    const Profile p = Profile::fromFile(path, &errors);
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().message.contains(path), qPrintable(errors.first().message));
    QCOMPARE(p.baseDirectory, m_dir.path());
}

void TestProfile::validate_data()
{
    QTest::addColumn<QByteArray>("overrides");
    QTest::addColumn<QString>("key"); // empty: the profile must be valid

    const QList<std::pair<QByteArray, const char *>> rows {
        {"{}", ""},
        {R"({"maxShards": 0})", "maxShards"},
        {R"({"maxShards": -5})", "maxShards"},
        {R"({"maxShards": 100001})", "maxShards"},
        {R"({"maxShards": 100000})", ""},
        {R"({"maxShards": "auto", "shardsPerProcess": 50})", ""},
        {R"({"shardsPerProcess": 0})", "shardsPerProcess"},
        {R"({"shardsPerProcess": -1})", "shardsPerProcess"},
        {R"({"shardsPerProcess": 11})", "shardsPerProcess"},
        {R"({"shardsPerProcess": 10})", ""},
        {R"({"port": 0})", "port"},
        {R"({"port": 65536})", "port"},
        {R"({"port": -1})", "port"},
        {R"({"port": 1})", ""},
        {R"({"port": 65535})", ""},
        {R"({"file": "missing.lua"})", "file"},
        {R"({"file": "folder"})", "file"},
        {R"({"file": ""})", "file"},
        {R"({"interpreter": "no-such-interpreter-7f3a"})", "interpreter"},
        {R"({"interpreter": "./notexec.txt"})", "interpreter"},
        {R"({"interpreter": "./missing-program"})", "interpreter"},
        {R"({"interpreter": "folder/"})", "interpreter"},
        {R"({"interpreter": ""})", "interpreter"},
        {R"({"interpreter": "sh"})", ""},
        {R"({"interpreter": "fakeshard"})", ""}, // beside the executable, not in PATH
        {R"({"workingDirectory": "nope"})", "workingDirectory"},
        {R"({"workingDirectory": "bot.lua"})", "workingDirectory"},
        {R"({"workingDirectory": "folder"})", ""},
        {R"({"host": "example"})", "host"},
        {R"({"host": "::1"})", ""},
        {R"({"host": "localhost"})", ""},
        {R"({"waitTime": -1})", "waitTime"},
        {R"({"waitTime": 0})", ""},
        {R"({"timestamp": ""})", "timestamp"},
        {R"({"timestamp": "!"})", "timestamp"},
        {R"({"tokenEnv": "1TOKEN"})", "tokenEnv"},
        {R"({"tokenEnv": "SHARDER_TOKEN"})", "tokenEnv"},
        {R"({"tokenEnv": "MY-TOKEN"})", "tokenEnv"},
        {R"({"tokenEnv": ""})", "tokenEnv"},
        {R"({"tokenEnv": "BOT_TOKEN"})", ""},
        {R"({"stopTimeout": -1})", "stopTimeout"},
        {R"({"restartDelay": -1})", "restartDelay"},
        {R"({"restartDelayMax": 500})", "restartDelayMax"},
        {R"({"restartDelay": 2000, "restartDelayMax": 1000})", "restartDelayMax"},
        {R"({"restartDelay": 2000, "restartDelayMax": 2000})", ""},
        {R"({"maxRestarts": -1})", "maxRestarts"},
        {R"({"maxRestarts": 0})", ""},
        {R"({"restartWindow": 0})", "restartWindow"},
        {R"({"discordApi": "ftp://discord.com/api"})", "discordApi"},
        {R"({"discordApi": "not a url"})", "discordApi"},
        {R"({"discordApi": "https://"})", "discordApi"},
        {R"({"discordApi": "http://127.0.0.1:8080/api"})", ""},
        {R"({"discordApi": "http://discord.com/api/v10"})", "discordApi"},
        {R"({"memoryWarn": 0})", "memoryWarn"},
        {R"({"memoryLimit": "1GB"})", "memoryLimit"},
        {R"({"memoryWarn": "1GB", "memoryLimit": "1GB"})", ""},
    };
    for (const auto &[overrides, key] : rows)
        QTest::addRow("%s", overrides.constData()) << overrides << QString::fromLatin1(key);

    // What this machine would refuse at the start (Linux: 32 pages per argument, 2 MiB or so in
    // all).
    const QList<std::tuple<const char *, QByteArray, const char *>> machine {
        {"log file under a regular file", R"({"logFile": "bot.lua/shards.log"})", "logFile"},
        {"log folder under a regular file", R"({"logFile": "bot.lua/logs/shards.log"})", "logFile"},
        {"log file is a folder", R"({"logFile": "folder"})", "logFile"},
        {"log folders created at start", R"({"logFile": "new/logs/shards.log"})", ""},
        {"argument too long", R"({"arguments": [")" + QByteArray(200000, 'a') + R"("]})",
         "arguments"},
        {"interpreter argument too long",
         R"({"interpreterArgs": [")" + QByteArray(200000, 'a') + R"("]})", "interpreterArgs"},
        {"arguments too long together",
         R"({"arguments": [")" + QByteArrayList(70, QByteArray(100000, 'a')).join(R"(", ")")
             + R"("]})",
         "arguments"},
        {"long argument that fits", R"({"arguments": [")" + QByteArray(100000, 'a') + R"("]})", ""},
        {"timestamp too long", R"({"timestamp": ")" + QByteArray(5000, 'x') + R"("})", "timestamp"},
        {"timestamp growing too long",
         R"({"timestamp": ")" + QByteArray(400 * 2, '%').replace("%%", "%c") + R"("})",
         "timestamp"},
        {"long timestamp that fits", R"({"timestamp": ")" + QByteArray(4000, 'x') + R"("})", ""},
    };
    for (const auto &[name, overrides, key] : machine)
        QTest::addRow("%s", name) << overrides << QString::fromLatin1(key);
}

void TestProfile::validate()
{
    QFETCH(QByteArray, overrides);
    QFETCH(QString, key);

    QJsonObject object {{u"file"_s, u"bot.lua"_s},
                        {u"interpreter"_s, QStringLiteral(FAKESHARD_PATH)}};
    const QJsonObject extra = QJsonDocument::fromJson(overrides).object();
    for (auto it = extra.begin(); it != extra.end(); ++it)
        object.insert(it.key(), it.value());

    QList<ProfileError> errors;
    const Profile p = Profile::fromJson(QJsonDocument(object).toJson(), m_dir.path(), &errors);
    QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));

    const QList<ProfileError> problems = p.validate();
    if (key.isEmpty()) {
        QVERIFY2(problems.isEmpty(), qPrintable(describe(problems)));
        return;
    }
    QVERIFY2(problems.size() == 1, qPrintable(describe(problems)));
    QCOMPARE(problems.first().key, key);
    QVERIFY(!problems.first().message.isEmpty());
    QVERIFY(problems.first().toString().startsWith(key + u": "_s));
}

void TestProfile::relativePathsResolveAgainstProfileFolder()
{
    const QDir root(m_dir.path());
    QVERIFY(root.mkpath(u"rel/profiles/bin"_s));
    QVERIFY(root.mkpath(u"rel/profiles/work"_s));
    QVERIFY(root.mkpath(u"rel/bot"_s));
    QVERIFY(writeFile(root.filePath(u"rel/bot/bot.lua"_s), "-- bot\n"));
    const QString tool = root.filePath(u"rel/profiles/bin/tool"_s);
    QVERIFY(QFile::copy(QStringLiteral(FAKESHARD_PATH), tool));
    const QString profilePath = root.filePath(u"rel/profiles/p.json"_s);
    QVERIFY(writeFile(profilePath, R"({"file": "../bot/bot.lua", "workingDirectory": "work",
                                      "logFile": "logs/shards.log", "interpreter": "./bin/tool"})"));

    QList<ProfileError> errors;
    const Profile p = Profile::fromFile(profilePath, &errors);
    QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));
    // Kept as written (the editor shows them so), resolved on use.
    QCOMPARE(p.file, u"../bot/bot.lua"_s);
    QCOMPARE(p.baseDirectory, root.filePath(u"rel/profiles"_s));
    QCOMPARE(p.resolvedFile(), root.filePath(u"rel/bot/bot.lua"_s));
    QCOMPARE(p.resolvedWorkingDirectory(), root.filePath(u"rel/profiles/work"_s));
    QCOMPARE(p.resolvedLogFile(), root.filePath(u"rel/profiles/logs/shards.log"_s));
    QCOMPARE(p.resolvedInterpreter(), tool);
    QVERIFY2(p.validate().isEmpty(), qPrintable(describe(p.validate())));

    // Without workingDirectory the children run in the bot file's folder.
    Profile q = p;
    q.workingDirectory.clear();
    QCOMPARE(q.resolvedWorkingDirectory(), root.filePath(u"rel/bot"_s));
}

void TestProfile::absoluteAndHomePaths()
{
    Profile p;
    p.baseDirectory = m_dir.path();
    p.file = u"/opt/bot/bot.lua"_s;
    p.logFile = u"~/logs/bot.log"_s;
    QCOMPARE(p.resolvedFile(), u"/opt/bot/bot.lua"_s);
    QCOMPARE(p.resolvedWorkingDirectory(), u"/opt/bot"_s);
    QCOMPARE(p.resolvedLogFile(), QDir::homePath() + u"/logs/bot.log"_s);
    QVERIFY(p.resolvedLogFile() != QString()); // empty logFile resolves to nothing below
    p.logFile.clear();
    QCOMPARE(p.resolvedLogFile(), QString());
}

void TestProfile::roundTrip()
{
    Profile p = ProfileSamples::everyKeyChanged();
    p.interpreterArgs.insert(1, u"-r"_s); // an option of the interpreter's own, kept as it is

    const QString path = m_dir.filePath(u"roundtrip.json"_s);
    QString error;
    QVERIFY2(p.save(path, &error), qPrintable(error));
    QList<ProfileError> errors;
    const Profile loaded = Profile::fromFile(path, &errors);
    QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));
    const Profile defaults;
    for (const QString &key : Profile::keys()) {
        // Every field was changed, so a field that is not saved shows up here.
        QVERIFY2(fieldValue(p, key) != fieldValue(defaults, key), qPrintable(key));
        QCOMPARE(fieldValue(loaded, key), fieldValue(p, key));
    }
}

void TestProfile::roundTripDefaultsStaysShort()
{
    Profile p;
    p.file = u"bot.lua"_s;
    const QString path = m_dir.filePath(u"short.json"_s);
    QString error;
    QVERIFY2(p.save(path, &error), qPrintable(error));

    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QStringList saved = QJsonDocument::fromJson(f.readAll()).object().keys();
    saved.sort();
    QCOMPARE(saved,
             QStringList(
                 {u"file"_s, u"interpreter"_s, u"maxShards"_s, u"port"_s, u"shardsPerProcess"_s}));

    QList<ProfileError> errors;
    const Profile loaded = Profile::fromFile(path, &errors);
    QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));
    for (const QString &key : Profile::keys())
        QCOMPARE(fieldValue(loaded, key), fieldValue(p, key));
}

void TestProfile::roundTripAuto()
{
    Profile p;
    p.file = u"bot.lua"_s;
    p.maxShardsAuto = true;
    p.shardsPerProcess = 16;
    const QString path = m_dir.filePath(u"auto.json"_s);
    QString error;
    QVERIFY2(p.save(path, &error), qPrintable(error));
    QList<ProfileError> errors;
    const Profile loaded = Profile::fromFile(path, &errors);
    QVERIFY2(errors.isEmpty(), qPrintable(describe(errors)));
    QVERIFY(loaded.maxShardsAuto);
    QCOMPARE(loaded.shardsPerProcess, 16);
}

void TestProfile::equalityCoversEveryKey()
{
    // Whatever a profile file can say, == sees: a change to any key makes a different profile.
    Profile base;
    base.file = u"bot.lua"_s;
    QVERIFY(base == Profile(base));
    for (const ProfileKey &key : ProfileSchema::keys()) {
        Profile changed = base;
        const QJsonValue value = key.value(base);
        QJsonValue other;
        switch (value.type()) {
        case QJsonValue::Bool: other = !value.toBool(); break;
        case QJsonValue::Double: other = value.toDouble() + 1; break;
        case QJsonValue::Array: other = QJsonArray {u"x"_s}; break;
        default: other = key.choices.empty() ? QJsonValue(u"x"_s) : QJsonValue(u"any"_s); break;
        }
        QString error;
        QVERIFY2(key.setValue(&changed, other, &error),
                 qPrintable(QString::fromLatin1(key.name) + u": "_s + error));
        QVERIFY2(!(changed == base), key.name);
        QVERIFY2(changed.toJson() != base.toJson(), key.name);
    }
    Profile moved = base;
    moved.baseDirectory = m_dir.path();
    QVERIFY(!(moved == base));
}

void TestProfile::saveFailureIsReported()
{
    Profile p;
    p.file = u"bot.lua"_s;
    const QString path = m_dir.filePath(u"no/such/folder/p.json"_s);
    QString error;
    QVERIFY(!p.save(path, &error));
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY(!QFile::exists(path));
}

void TestProfile::byteSizes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("bytes"); // -1: rejected

    QTest::newRow("1.5GB") << u"1.5GB"_s << qint64(1500000000);
    QTest::newRow("1500M") << u"1500M"_s << qint64(1500000000);
    QTest::newRow("1500MB") << u"1500MB"_s << qint64(1500000000);
    QTest::newRow("plain") << u"1500000000"_s << qint64(1500000000);
    QTest::newRow("bytes suffix") << u"10B"_s << qint64(10);
    QTest::newRow("2GiB") << u"2GiB"_s << qint64(2147483648);
    QTest::newRow("512KiB") << u"512KiB"_s << qint64(524288);
    QTest::newRow("spaces") << u" 1.5 gb "_s << qint64(1500000000);
    QTest::newRow("empty") << QString() << qint64(-1);
    QTest::newRow("unit only") << u"GB"_s << qint64(-1);
    QTest::newRow("negative") << u"-1GB"_s << qint64(-1);
    QTest::newRow("terabytes") << u"1.5TB"_s << qint64(-1);
    QTest::newRow("exponent") << u"1e9"_s << qint64(-1);
    QTest::newRow("words") << u"lots"_s << qint64(-1);
}

void TestProfile::byteSizes()
{
    QFETCH(QString, text);
    QFETCH(qint64, bytes);
    const std::optional<qint64> parsed = parseByteSize(text);
    if (bytes < 0) {
        QVERIFY(!parsed.has_value());
    } else {
        QVERIFY(parsed.has_value());
        QCOMPARE(*parsed, bytes);
    }
}

QTEST_GUILESS_MAIN(TestProfile)
#include "tst_profile.moc"
