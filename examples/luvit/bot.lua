-- A minimal Discordia bot for Shard Manager. Each process is started as
--   luvit bot.lua <port> <firstShard> <lastShard> <maxShards> [arguments...]
-- and runs the shards firstShard..lastShard of maxShards. The token arrives in the environment.
local discordia = require('discordia')
local json = require('json')
local net = require('coro-net')
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

-- IPC with the manager: lines of text over TCP. ipcSend is nil while not connected.
local ipcSend
coroutine.wrap(function()
	local read, write = net.connect({host = '127.0.0.1', port = tonumber(port)})
	if not read then
		return print('IPC: cannot connect to port ' .. port .. ': ' .. tostring(write))
	end
	ipcSend = function(text) write(text .. '\n') end
	-- Tells the manager which process this is where it cannot look it up itself (Windows, macOS).
	ipcSend('hello ' .. (process.env.SHARDER_IPC_TOKEN or ''))
	local buffer = ''
	for chunk in read do -- read yields raw TCP chunks: split them into lines
		buffer = buffer .. chunk
		for line in buffer:gmatch('([^\n]*)\n') do
			print('IPC message: ' .. line)
			if line == 'ping' then ipcSend('pong from shards ' .. firstShard .. '-' .. lastShard) end
		end
		buffer = buffer:match('[^\n]*$')
	end
	ipcSend = nil
	print('IPC connection closed')
end)()

local latency = 0
client:on('heartbeat', function(_, ms) latency = ms end)

client:on('ready', function()
	print(('Logged in as %s, shards %s to %s of %s'):format(client.user.username, firstShard, lastShard, maxShards))
	if ipcSend then ipcSend(json.encode({op = 'ready'})) end
end)

-- Guild count and gateway latency for the manager, every 10 s (write must run in a coroutine).
timer.setInterval(10000, function()
	coroutine.wrap(function()
		if ipcSend then ipcSend(json.encode({op = 'stats', guilds = client.guilds:count(), ping = latency})) end
	end)()
end)

client:on('messageCreate', function(message)
	if message.content == '!ping' then
		local shard = message.guild and message.guild.shardId or 0
		message.channel:send(('Pong from shard %d (process with shards %s to %s)'):format(shard, firstShard, lastShard))
	end
end)

client:run('Bot ' .. token)
