#include "service/controlcommands.h"

#include "engine/shardengine.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {
struct Text {
    Q_DECLARE_TR_FUNCTIONS(ControlCommands)
};

QJsonObject ok(QJsonObject fields = {})
{
    fields.insert(u"ok"_s, true);
    return fields;
}

QJsonObject failed(const QString &error)
{
    return {{u"ok"_s, false}, {u"error"_s, error}};
}
} // namespace

ControlCommands::ControlCommands(ShardEngine *engine, const QString &profilePath)
    : m_engine(engine)
    , m_profilePath(profilePath)
{
}

int ControlCommands::processOf(const QJsonObject &command, QString *error) const
{
    const QJsonValue value = command.value(u"process"_s);
    const int process = value.toInt(-1);
    if (!value.isDouble()) {
        *error = Text::tr("\"process\" must be a number");
        return -1;
    }
    if (!m_engine->process(process)) {
        *error = Text::tr("no process %1: the plan has %n process(es)", nullptr,
                          m_engine->processCount())
                     .arg(value.toDouble());
        return -1;
    }
    return process;
}

QJsonObject ControlCommands::run(const QJsonObject &command)
{
    const QString name = command.value(u"command"_s).toString();
    const bool all = !command.contains(u"process"_s);
    QString error;
    const int process = all ? -1 : processOf(command, &error);
    if (!all && process < 0)
        return failed(error);

    if (name == u"start"_s) {
        const bool started
            = all ? m_engine->startAll(&error) : m_engine->startProcess(process, &error);
        return started ? ok() : failed(error);
    }
    if (name == u"stop"_s) {
        all ? m_engine->stopAll() : m_engine->stopProcess(process);
        return ok();
    }
    if (name == u"kill"_s) {
        if (all) {
            m_engine->killAll();
        } else {
            m_engine->killProcess(process);
        }
        return ok();
    }
    if (name == u"restart"_s) {
        all ? m_engine->restartAll() : m_engine->restartProcess(process);
        return ok();
    }
    if (name == u"rollingRestart"_s) {
        m_engine->rollingRestart();
        return ok();
    }
    if (name == u"resumeAutoRestarts"_s) {
        m_engine->resumeAutoRestarts();
        return ok();
    }
    if (name == u"fetchGateway"_s) {
        m_engine->fetchGateway();
        return ok();
    }
    if (name == u"broadcast"_s || name == u"send"_s) {
        const QJsonValue message = command.value(u"message"_s);
        if (!message.isString())
            return failed(Text::tr("\"message\" must be a string"));
        if (name == u"send"_s && all)
            return failed(Text::tr("\"send\" needs a \"process\""));
        const int reached = all ? m_engine->broadcast(message.toString())
                                : m_engine->sendTo(process, message.toString());
        return ok({{u"reached"_s, reached}});
    }
    if (name == u"setToken"_s) {
        const QJsonValue token = command.value(u"token"_s);
        if (!token.isString())
            return failed(Text::tr("\"token\" must be a string"));
        m_engine->setToken(token.toString().trimmed());
        return ok({{u"hasToken"_s, m_engine->hasToken()}});
    }
    if (name == u"applyProfile"_s) {
        if (!command.value(u"profile"_s).isObject())
            return failed(Text::tr("\"profile\" must be an object"));
        return applyProfile(command.value(u"profile"_s).toObject());
    }
    if (name == u"stopService"_s)
        return ok();
    return failed(Text::tr("unknown command \"%1\"").arg(name));
}

QJsonObject ControlCommands::applyProfile(const QJsonObject &object)
{
    if (m_engine->isBusy())
        return failed(AbstractEngine::busyProfileChangeText());
    QList<ProfileError> errors;
    const Profile profile = Profile::fromJson(QJsonDocument(object).toJson(),
                                              QFileInfo(m_profilePath).absolutePath(), &errors);
    if (errors.isEmpty())
        errors = profile.validate();
    if (!errors.isEmpty()) {
        QStringList texts;
        for (const ProfileError &e : std::as_const(errors))
            texts.append(e.toString());
        return failed(texts.join(u"; "_s));
    }
    // The service runs from its file: it keeps what was applied across its own restarts.
    QString error;
    if (!profile.save(m_profilePath, &error))
        return failed(Text::tr("cannot save %1: %2").arg(m_profilePath, error));
    if (!m_engine->setProfile(profile, &errors))
        return failed(errors.isEmpty() ? Text::tr("the engine refused the profile")
                                       : errors.first().toString());
    return ok({{u"processes"_s, m_engine->processCount()}});
}
