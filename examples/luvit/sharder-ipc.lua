--[[
sharder-ipc: the child side of Shard Manager's IPC, for luvit bots.

  local ipc = require('./sharder-ipc')
  ipc.on(function(message) print('from the manager: ' .. message) end)
  ipc.connect()                      -- uses SHARDER_PORT; reconnects when the manager restarts
  ipc.ready()                        -- tell the manager this process is ready (rolling restarts wait)
  ipc.stats({guilds = 150, ping = 42})
  ipc.send('hello, manager')         -- a plain message (one line)
  ipc.relay('all', {op = 'reload'})  -- to every other process; ipc.relay(2, 'x') to process 2

Messages are lines of text; tables given to relay are JSON-encoded. Sends made before the
connection is up are queued. Everything here runs in its own coroutine, so it can be called
from anywhere (an event handler, a timer).
]]

local json = require('json')
local net = require('coro-net')
local timer = require('timer')

local ipc = {}

local handlers = {}
local queue = {}
local writer -- set while connected
local connecting = false

local function flush()
	if not writer then return end
	while #queue > 0 do
		writer(table.remove(queue, 1) .. '\n')
	end
end

local function enqueue(line)
	-- A message must be one line: newlines inside would split it in two at the manager.
	queue[#queue + 1] = (tostring(line):gsub('\n', ' '))
	coroutine.wrap(flush)()
end

local function dispatch(line)
	for _, handler in ipairs(handlers) do
		local ok, err = pcall(handler, line)
		if not ok then print('sharder-ipc: handler error: ' .. tostring(err)) end
	end
end

function ipc.on(handler)
	handlers[#handlers + 1] = handler
end

function ipc.connect(port)
	if connecting or writer then return end
	connecting = true
	port = tonumber(port or process.env.SHARDER_PORT)
	coroutine.wrap(function()
		local read, write = net.connect({host = '127.0.0.1', port = port})
		connecting = false
		if not read then
			print('sharder-ipc: cannot connect to port ' .. tostring(port) .. ': ' .. tostring(write))
			timer.setTimeout(3000, function() ipc.connect(port) end)
			return
		end
		writer = write
		-- Identifies this process where the manager cannot look it up itself (not Linux).
		table.insert(queue, 1, 'hello ' .. (process.env.SHARDER_IPC_TOKEN or ''))
		flush()
		local buffer = ''
		for chunk in read do -- raw TCP chunks: cut them into lines
			buffer = buffer .. chunk
			for line in buffer:gmatch('([^\n]*)\n') do
				dispatch((line:gsub('\r$', '')))
			end
			buffer = buffer:match('[^\n]*$')
		end
		writer = nil
		timer.setTimeout(3000, function() ipc.connect(port) end)
	end)()
end

function ipc.send(text)
	enqueue(text)
end

function ipc.ready()
	enqueue(json.encode({op = 'ready'}))
end

function ipc.stats(fields)
	local message = {op = 'stats'}
	for k, v in pairs(fields) do
		if type(v) == 'number' then message[k] = v end
	end
	enqueue(json.encode(message))
end

function ipc.relay(to, data)
	enqueue(json.encode({op = 'relay', to = to, d = data}))
end

return ipc
