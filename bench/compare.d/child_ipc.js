// The IPC child of bench/compare, one script for both managers:
//   node child_ipc.js ...          (ours, and PM2's start-up: connects to 127.0.0.1:SHARDER_PORT,
//                                   messages are lines)
//   node child_ipc.js --process    (discord.js ShardingManager: process.send / 'message')
// It never logs in anywhere and prints nothing. Its index is SHARDER_PROCESS (ours, PM2) or
// SHARDS (discord.js). Protocol, the same text either way:
//   child -> manager  "up <index>" once connected
//   "fo <M>"          fan-out: count the next M "m..." messages, then answer "done <index>"
//   "in <M>"          fan-in: send M messages "i<index> <k> xxx..." (100 bytes) as fast as it can
//   "ping <k> <t>"    latency: the child whose index is t answers "pong <k>"
'use strict';
const viaProcess = process.argv.includes('--process');
const index = Number(viaProcess ? process.env.SHARDS : process.env.SHARDER_PROCESS);
const pad = 'x'.repeat(100);

let send;
let expected = 0;
let seen = 0;

function onMessage(text) {
    const c = text.charCodeAt(0);
    if (c === 109) { // "m": one fan-out delivery
        if (++seen === expected)
            send('done ' + index);
    } else if (text.startsWith('fo ')) {
        expected = Number(text.slice(3));
        seen = 0;
    } else if (text.startsWith('in ')) {
        const count = Number(text.slice(3));
        for (let k = 0; k < count; ++k) {
            const head = 'i' + index + ' ' + k + ' ';
            send(head + pad.slice(head.length));
        }
    } else if (text.startsWith('ping ')) {
        const [, k, target] = text.split(' ');
        if (Number(target) === index)
            send('pong ' + k);
    }
}

if (viaProcess) {
    send = (text) => process.send(text);
    process.on('message', (m) => { if (typeof m === 'string') onMessage(m); });
    send('up ' + index);
} else {
    const socket = require('net').connect(Number(process.env.SHARDER_PORT), '127.0.0.1');
    socket.setNoDelay(true);
    send = (text) => socket.write(text + '\n');
    let tail = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => send('up ' + index));
    socket.on('data', (chunk) => {
        const lines = (tail + chunk).split('\n');
        tail = lines.pop();
        for (const line of lines)
            onMessage(line);
    });
    socket.on('error', () => process.exit(3));
    socket.on('close', () => process.exit(0));
}
