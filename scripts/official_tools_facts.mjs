#!/usr/bin/env node
// Runs every packaged example of Make's official tool set (npm @makehq/sdk, MakeTools) against a recording
// HTTP server on 127.0.0.1 and writes one JSON document to stdout: each tool's name, category, scope,
// annotations, input schema and examples, and the requests each example made; plus one probe call per tool
// with every argument set (probeValue), which shows where each argument travels. For scripts/official_tools.py,
// which keeps only the facts; nothing here is vendored as it is.
import http from 'node:http';
import { Make } from '@makehq/sdk';
import { MakeTools } from '@makehq/sdk/tools';

const TOKEN = '00000000-0000-4000-8000-000000000000'; // an API key's shape, so the SDK sends `Token ...`
const EXAMPLE_TIMEOUT_MS = 10000;

let recorded = [];
let nextNumber = 9001;

// A distinctive value of each argument's schema, so that the probe call shows where every argument travels.
function probeValue(name, schema) {
    const alternative = schema.oneOf?.[0] ?? schema.anyOf?.[0] ?? schema;
    if (alternative.enum) return alternative.enum[0];
    if (alternative.const !== undefined) return alternative.const;
    switch (alternative.type) {
        case 'number':
        case 'integer':
            return nextNumber++;
        case 'boolean':
            return true;
        case 'array':
            return [probeValue(name, alternative.items ?? { type: 'string' })];
        case 'object':
            if (alternative.properties) {
                return Object.fromEntries(
                    Object.entries(alternative.properties).map(([key, sub]) => [key, probeValue(key, sub)]),
                );
            }
            return { [`${name}Key`]: `${name}-value` };
        default:
            // Base64 data must decode to something the SDK accepts (app icons: a PNG).
            return name.endsWith('Base64') ? PNG.toString('base64') : `${name}-${nextNumber++}`;
    }
}

function probeArguments(tool) {
    const properties = tool.inputSchema.properties ?? {};
    return Object.fromEntries(Object.entries(properties).map(([name, schema]) => [name, probeValue(name, schema)]));
}

async function run(tool, example) {
    recorded = [];
    const make = new Make(TOKEN, `127.0.0.1:${port}`);
    make.protocol = 'http'; // the SDK builds `${protocol}://${zone}/api/v2...`
    let error = null;
    let timer;
    try {
        await Promise.race([
            tool.execute(make, structuredClone(example)),
            new Promise((_, reject) => {
                timer = setTimeout(() => reject(new Error('timed out')), EXAMPLE_TIMEOUT_MS);
            }),
        ]);
    } catch (caught) {
        error = String(caught?.message ?? caught); // for the script's own report, never vendored
    } finally {
        clearTimeout(timer);
    }
    return { arguments: example, requests: recorded, error };
}

function isJson(raw) {
    try {
        JSON.parse(raw.toString('utf8'));
        return true;
    } catch {
        return false; // the SDK passes some texts (JSONC sections) through under a JSON content type
    }
}

// Every request is answered 200 (see answerFor): the point is the request.
const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', chunk => chunks.push(chunk));
    request.on('end', () => {
        const raw = Buffer.concat(chunks);
        const url = new URL(request.url, 'http://127.0.0.1');
        const type = request.headers['content-type'] ?? null;
        let body = null;
        if (raw.length > 0) {
            if (type && type.startsWith('application/json') && isJson(raw)) {
                body = { json: JSON.parse(raw.toString('utf8')) };
            } else if (type && (type.startsWith('image/') || type.startsWith('application/octet-stream'))) {
                body = { base64: raw.toString('base64') };
            } else {
                body = { text: raw.toString('utf8') };
            }
        }
        recorded.push({
            method: request.method,
            path: url.pathname,
            query: [...url.searchParams.entries()],
            contentType: type,
            body,
        });
        const answer = answerFor(url.pathname);
        response.writeHead(200, { 'content-type': answer.type });
        response.end(answer.bytes);
    });
});

// The SDK unwraps most answers by a key it ignores when missing; the few examples whose code reads on from
// the answer need `scenario` (its id and isActive), `response.blueprint` and `interface`. An icon download is answered with a PNG.
function answerFor(path) {
    if (path.includes('/icon')) {
        return { type: 'image/png', bytes: PNG };
    }
    const ids = path.split('/').filter(segment => /^\d+$/.test(segment));
    const id = ids.length > 0 ? Number(ids[ids.length - 1]) : 1;
    const text = JSON.stringify({
        scenario: { id, isActive: !path.endsWith('/stop') },
        response: { blueprint: {} },
        interface: { input: [], output: [] },
    });
    return { type: 'application/json', bytes: Buffer.from(text) };
}

// The 8-byte PNG signature and an IHDR chunk header of a 512x512 image: enough for the SDK to accept it.
const PNG = Buffer.from([
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 2, 0, 0, 0, 2, 0, 8, 6, 0, 0, 0,
]);

await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();

const tools = [];
for (const tool of MakeTools) {
    const runs = [];
    for (const example of tool.examples ?? []) {
        runs.push(await run(tool, example));
    }
    const probe = await run(tool, probeArguments(tool));
    tools.push({
        name: tool.name,
        category: tool.category ?? null,
        scope: tool.scope ?? null,
        annotations: tool.annotations ?? {},
        inputSchema: tool.inputSchema,
        examples: runs,
        probe,
    });
}
server.close();
process.stdout.write(JSON.stringify({ tools }) + '\n');
