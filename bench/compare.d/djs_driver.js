// discord.js 14's ShardingManager under bench/compare's IPC workloads (the manager is this
// process; no token, no login: the children are child_ipc.js --process).
//   node djs_driver.js startup CHILDREN
//       prints "up <cpu seconds of this process>" once every child has said "up"
//   node djs_driver.js ipc CHILDREN FANOUT_M FANIN_M PINGS WARM_SECONDS
//       prints one JSON line: fanout and fanin in messages/s, latency p50/p99 in ms
// Messages are counted on the Shard 'message' events, as a bot's manager would see them.
'use strict';
const path = require('path');
const { ShardingManager } = require('discord.js');

const [mode, children, fanoutM, faninM, pings, warmSeconds] = process.argv.slice(2).map((v, i) => i ? Number(v) : v);
const manager = new ShardingManager(path.join(__dirname, 'child_ipc.js'), {
    totalShards: children, respawn: false, shardArgs: ['--process'], token: undefined,
});

let handler = () => {};
let up = 0;
let allUp;
const upPromise = new Promise((resolve) => { allUp = resolve; });
manager.on('shardCreate', (shard) => {
    shard.on('message', (m) => {
        if (typeof m === 'string' && m.startsWith('up ')) {
            if (++up === children) allUp();
        } else {
            handler(m);
        }
    });
});

function until(count, match) { // resolves when `count` messages matching `match` have come
    return new Promise((resolve) => {
        let n = 0;
        handler = (m) => { if (match(m) && ++n === count) resolve(); };
    });
}

function cpuSeconds() {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
}

async function main() {
    manager.spawn({ amount: children, delay: 0, timeout: -1 });
    await upPromise;
    if (mode === 'startup') {
        process.stdout.write('up ' + cpuSeconds() + '\n');
    } else {
        const result = {};
        const body = 'x'.repeat(99);
        manager.broadcast('fo ' + fanoutM);
        let done = until(children, (m) => m.startsWith('done '));
        let t0 = process.hrtime.bigint();
        for (let k = 0; k < fanoutM; ++k)
            manager.broadcast('m' + body).catch(() => {});
        await done;
        result.fanout = children * fanoutM / (Number(process.hrtime.bigint() - t0) / 1e9);

        for (const warmUp of [true, false]) { // the first round is not timed, as in ours
            done = until(children * faninM, (m) => m.charCodeAt(0) === 105); // "i"
            t0 = process.hrtime.bigint();
            manager.broadcast('in ' + faninM);
            await done;
            if (!warmUp)
                result.fanin = children * faninM / (Number(process.hrtime.bigint() - t0) / 1e9);
        }

        const roundTrip = async (k, target) => {
            const pong = until(1, (m) => m === 'pong ' + k);
            const t = process.hrtime.bigint();
            manager.broadcast('ping ' + k + ' ' + target);
            await pong;
            return Number(process.hrtime.bigint() - t) / 1e6;
        };
        // Untimed pings "w<k>" first, for WARM_SECONDS and at least a tenth of the count, as in ours.
        const warmUntil = process.hrtime.bigint() + BigInt(Math.round(warmSeconds * 1e9));
        for (let k = 0; k < pings / 10 || process.hrtime.bigint() < warmUntil; ++k)
            await roundTrip('w' + k, k % children);
        const times = [];
        for (let k = 0; k < pings; ++k)
            times.push(await roundTrip(String(k), k % children));
        times.sort((a, b) => a - b);
        result.p50 = times[Math.floor(times.length * 0.5)];
        result.p99 = times[Math.min(times.length - 1, Math.floor(times.length * 0.99))];
        process.stdout.write(JSON.stringify(result) + '\n');
    }
    // Stay until the harness closes our stdin, so it can read our CPU time while we are alive.
    process.stdin.on('end', () => {
        for (const shard of manager.shards.values()) shard.kill();
        process.exit(0);
    });
    process.stdin.resume();
}
main().catch((e) => { console.error(e); process.exit(1); });
