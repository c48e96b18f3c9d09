-- An IPC client for the tests, in Lua (luajit + lua-socket): connects to 127.0.0.1:PORT,
-- sends "hello $SHARDER_IPC_TOKEN" and each further argument as a line, prints CONNECTED,
-- then prints every line it receives as "IPC <line>" until the server closes ("IPC CLOSED").
--   luajit ipcclient.lua PORT [LINE...]
local socket = require('socket')

local port = tonumber(arg[1])
local client = assert(socket.connect('127.0.0.1', port))
client:setoption('tcp-nodelay', true)
io.stdout:setvbuf('line')
print('CONNECTED')
assert(client:send('hello ' .. (os.getenv('SHARDER_IPC_TOKEN') or '') .. '\n'))
for i = 2, #arg do
	assert(client:send(arg[i] .. '\n'))
end
while true do
	local line, err = client:receive('*l')
	if not line then
		print('IPC CLOSED')
		break
	end
	print('IPC ' .. line)
end
