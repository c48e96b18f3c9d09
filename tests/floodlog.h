#pragma once

// Reads the log file of a run whose children print numbered lines with their pid (fakeshard
// --pid-lines: "<pid> 1", "<pid> 2", ...) and checks every incarnation of every process: its
// lines start at 1 and follow in order, without a duplicate or a gap. What a child wrote to its
// pipe before it died must all be there; only its very last line may be cut short (a kill in the
// middle of a write), and a clean stop ends the last incarnation with "TERM".

#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>

struct FloodLog {
    struct Incarnation {
        qint64 pid = 0;
        qint64 lines = 0; // complete numbered lines, 1..lines
        bool cutShort = false; // ended with part of its next line
        bool termSeen = false; // ended with "TERM": stopped by the manager, not killed
    };

    QHash<QString, QList<Incarnation>> ranges; // "first to last" -> incarnations in log order
    QStringList problems; // empty when every line checks out
    qint64 totalLines = 0;

    explicit FloodLog(const QString &path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            problems << QStringLiteral("cannot read %1").arg(path);
            return;
        }
        // <timestamp> | Shards <first> to <last> | <line>
        static const QRegularExpression logLine(
            QStringLiteral("^[^|]*\\| Shards (\\d+ to \\d+) \\| (.*)$"));
        QHash<QString, QStringList> byRange;
        for (const QByteArray &raw : file.readAll().split('\n')) {
            if (raw.isEmpty())
                continue;
            const QRegularExpressionMatch m = logLine.match(QString::fromUtf8(raw));
            if (!m.hasMatch()) {
                problems
                    << QStringLiteral("not a log line: %1").arg(QString::fromUtf8(raw.left(200)));
                continue;
            }
            byRange[m.captured(1)] << m.captured(2);
        }
        for (auto it = byRange.cbegin(); it != byRange.cend(); ++it)
            check(it.key(), it.value());
    }

private:
    void check(const QString &range, const QStringList &lines)
    {
        static const QRegularExpression numbered(QStringLiteral("^(\\d+) (\\d+)$"));
        QList<Incarnation> &runs = ranges[range];
        QSet<qint64> seen;
        auto problem = [&](qsizetype i, const QString &what) {
            problems << QStringLiteral("%1, line %2 of that range (\"%3\"): %4")
                            .arg(range)
                            .arg(i + 1)
                            .arg(lines.at(i).left(80), what);
        };
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const QString &line = lines.at(i);
            Incarnation *current = runs.isEmpty() ? nullptr : &runs.last();
            const bool ended = current && (current->cutShort || current->termSeen);
            const QRegularExpressionMatch m = numbered.match(line);
            const qint64 pid = m.hasMatch() ? m.captured(1).toLongLong() : 0;
            const qint64 n = m.hasMatch() ? m.captured(2).toLongLong() : 0;
            if (m.hasMatch() && (!current || pid != current->pid)) {
                if (seen.contains(pid))
                    problem(i, QStringLiteral("pid %1 again after another incarnation").arg(pid));
                else if (n != 1)
                    problem(i, QStringLiteral("an incarnation starts at %1, not 1").arg(n));
                seen.insert(pid);
                runs.append({pid, n, false, false});
                ++totalLines;
                continue;
            }
            if (ended) {
                problem(i, QStringLiteral("after the end of incarnation %1").arg(current->pid));
                continue;
            }
            if (m.hasMatch() && n == current->lines + 1) {
                ++current->lines;
                ++totalLines;
                continue;
            }
            if (line == QLatin1String("TERM") && i == lines.size() - 1 && current) {
                current->termSeen = true;
                continue;
            }
            // The one line a kill may cut: a beginning of the line that was due.
            const QString due = QStringLiteral("%1 %2")
                                    .arg(current ? current->pid : 0)
                                    .arg(current ? current->lines + 1 : 1);
            if (current && !line.isEmpty() && due.startsWith(line)) {
                current->cutShort = true;
                continue;
            }
            problem(i,
                    current ? QStringLiteral("expected \"%1\"").arg(due)
                            : QStringLiteral("unexpected"));
        }
    }
};
