#!/usr/bin/env node
// Serves Make's official tool set (npm @makehq/sdk, MakeTools) over stdio, for scripts/bench.py --official.
// MAKE_ZONE may be a bare host (eu2.make.com) or a base address such as http://127.0.0.1:8787 (the sandbox).
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { Make } from '@makehq/sdk';
import { MakeTools } from '@makehq/sdk/tools';

const token = process.env.MAKE_API_KEY;
const zone = process.env.MAKE_ZONE;
if (!token || !zone) {
    process.stderr.write('official_make_mcp: set MAKE_API_KEY and MAKE_ZONE\n');
    process.exit(2);
}

const address = /^https?:\/\//.test(zone) ? new URL(zone) : null;
const make = new Make(token, address ? address.host : zone);
if (address) {
    make.protocol = address.protocol.replace(':', ''); // the SDK builds `${protocol}://${zone}/api/v2...`
}

// Listed as the package's own repository script lists them: name, title, description, input schema.
const listing = MakeTools.map(({ name, title, description, inputSchema }) => ({ name, title, description, inputSchema }));
const byName = new Map(MakeTools.map(tool => [tool.name, tool]));

const server = new Server({ name: 'make-official', version: '0.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listing }));
server.setRequestHandler(CallToolRequestSchema, async request => {
    const tool = byName.get(request.params.name);
    if (!tool) {
        throw new Error(`no tool named ${request.params.name}`);
    }
    const value = await tool.execute(make, request.params.arguments ?? {});
    const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    return { content: [{ type: 'text', text }] };
});

await server.connect(new StdioServerTransport());
