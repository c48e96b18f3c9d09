<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ClusterOptions</name>
    <message numerus="yes">
        <source>more slices than processes: %n slice(s) would run nothing</source>
        <translation>
            <numerusform>more slices than processes: %n slice would run nothing</numerusform>
            <numerusform>more slices than processes: %n slices would run nothing</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ControlCommands</name>
    <message numerus="yes">
        <source>no process %1: the plan has %n process(es)</source>
        <translation>
            <numerusform>no process %1: the plan has %n process</numerusform>
            <numerusform>no process %1: the plan has %n processes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n match</numerusform>
            <numerusform>%n matches</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HeadlessRunner</name>
    <message numerus="yes">
        <source>broadcast to %n connection(s): %1</source>
        <translation>
            <numerusform>broadcast to %n connection: %1</numerusform>
            <numerusform>broadcast to %n connections: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n more IPC message(s) in the last second not shown (--events json has them all)</source>
        <translation>
            <numerusform>%n more IPC message in the last second not shown (--events json has them all)</numerusform>
            <numerusform>%n more IPC messages in the last second not shown (--events json has them all)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IpcConsole</name>
    <message numerus="yes">
        <source>Sent to %n connection(s).</source>
        <translation>
            <numerusform>Sent to %n connection.</numerusform>
            <numerusform>Sent to %n connections.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IpcServer</name>
    <message numerus="yes">
        <source>refused or dropped %n more connection(s) from processes that are not shards in the last %1 s; the last: %2</source>
        <translation>
            <numerusform>refused or dropped %n more connection from processes that are not shards in the last %1 s; the last: %2</numerusform>
            <numerusform>refused or dropped %n more connections from processes that are not shards in the last %1 s; the last: %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LogPane</name>
    <message numerus="yes">
        <source>[… %n line(s) dropped]</source>
        <translation>
            <numerusform>[… %n line dropped]</numerusform>
            <numerusform>[… %n lines dropped]</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> [… %n more characters]</source>
        <translation>
            <numerusform> [… %n more character]</numerusform>
            <numerusform> [… %n more characters]</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LogWriter</name>
    <message numerus="yes">
        <source>%n line(s) could not be written: %1</source>
        <translation>
            <numerusform>%n line could not be written: %1</numerusform>
            <numerusform>%n lines could not be written: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%n process(es) are running. Stop them and quit?</source>
        <translation>
            <numerusform>%n process is running. Stop it and quit?</numerusform>
            <numerusform>%n processes are running. Stop them and quit?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 has %n problem(s), shown at their fields</source>
        <translation>
            <numerusform>%1 has %n problem, shown at its field</numerusform>
            <numerusform>%1 has %n problems, shown at their fields</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The profile has %n problem(s); saved as it is, it cannot be started until they are fixed. Save anyway?</source>
        <translation>
            <numerusform>The profile has %n problem; saved as it is, it cannot be started until it is fixed. Save anyway?</numerusform>
            <numerusform>The profile has %n problems; saved as it is, it cannot be started until they are fixed. Save anyway?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Kill %n process(es): %1? They get SIGKILL and cannot save their state.</source>
        <translation>
            <numerusform>Kill %n process: %1? It gets SIGKILL and cannot save its state.</numerusform>
            <numerusform>Kill %n processes: %1? They get SIGKILL and cannot save their state.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PlanPreview</name>
    <message numerus="yes">
        <source>%n shard(s)</source>
        <translation>
            <numerusform>%n shard</numerusform>
            <numerusform>%n shards</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n process(es)</source>
        <translation>
            <numerusform>%n process</numerusform>
            <numerusform>%n processes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProfileEditor</name>
    <message numerus="yes">
        <source>%n problem(s)</source>
        <translation>
            <numerusform>%n problem</numerusform>
            <numerusform>%n problems</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RemoteEngine</name>
    <message numerus="yes">
        <source>%n output line(s) skipped: this window fell behind the service</source>
        <translation>
            <numerusform>%n output line skipped: this window fell behind the service</numerusform>
            <numerusform>%n output lines skipped: this window fell behind the service</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RollingRestart</name>
    <message numerus="yes">
        <source>rolling restart: %n process(es), one at a time</source>
        <translation>
            <numerusform>rolling restart: %n process, one at a time</numerusform>
            <numerusform>rolling restart: %n processes, one at a time</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RunStatusBar</name>
    <message numerus="yes">
        <source>IPC: %1, %n connection(s)</source>
        <translation>
            <numerusform>IPC: %1, %n connection</numerusform>
            <numerusform>IPC: %1, %n connections</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ServiceControls</name>
    <message numerus="yes">
        <source>%n process(es) of the bot are running in their service.</source>
        <translation>
            <numerusform>%n process of the bot is running in its service.</numerusform>
            <numerusform>%n processes of the bot are running in their service.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ServiceStatus</name>
    <message numerus="yes">
        <source>, %n restart(s)</source>
        <translation>
            <numerusform>, %n restart</numerusform>
            <numerusform>, %n restarts</numerusform>
        </translation>
    </message>
</context>
</TS>
