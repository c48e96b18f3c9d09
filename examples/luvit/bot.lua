-- A minimal Discordia bot for Shard Manager. Each process is started as
--   luvit bot.lua <port> <firstShard> <lastShard> <maxShards> [arguments...]
-- and runs the shards firstShard..lastShard of maxShards. The token arrives in the environment.
local discordia = require('discordia')
local ipc = require('./sharder-ipc')
local timer = require('timer')

table.remove(process.argv, 1) -- luvit: argv[0] is luvit, argv[1] this file; drop the file
local port, firstShard, lastShard, maxShards = table.unpack(process.argv)

local token = process.env.DISCORD_TOKEN -- never print it
if not token then
	error('DISCORD_TOKEN is not set: store the token in Shard Manager or use --token-from-env')
end

local client = discordia.Client({
	firstShard = tonumber(firstShard),
	lastShard = tonumber(lastShard),
	shardCount = tonumber(maxShards),
})
if client.enableIntents then -- Discordia 2.11+: reading message text is a privileged intent
	client:enableIntents(discordia.enums.gatewayIntent.messageContent)
end

-- IPC with the manager (lines of text over TCP, see sharder-ipc.lua).
ipc.on(function(message)
	print('IPC message: ' .. message)
	if message == 'ping' then ipc.send('pong from shards ' .. firstShard .. '-' .. lastShard) end
end)
ipc.connect(port)

local latency = 0
client:on('heartbeat', function(_, ms) latency = ms end)

client:on('ready', function()
	print(('Logged in as %s, shards %s to %s of %s'):format(client.user.username, firstShard, lastShard, maxShards))
	ipc.ready()
end)

-- Guild count and gateway latency for the manager's table, every 10 s.
timer.setInterval(10000, function()
	ipc.stats({guilds = client.guilds:count(), ping = latency})
end)

client:on('messageCreate', function(message)
	if message.content == '!ping' then
		local shard = message.guild and message.guild.shardId or 0
		message.channel:send(('Pong from shard %d (process with shards %s to %s)'):format(shard, firstShard, lastShard))
	end
end)

client:run('Bot ' .. token)
