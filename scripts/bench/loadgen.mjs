// The load generator: autocannon in its own process (never in the server's), driven by a JSON
// file named by its argument; prints one JSON line with the result on stdout.
//   { url, method, headers, body?, paths?: string[], bodies?: string[] (rotated), uniqueEmail?: bool,
//     connections, duration, expectStatus?: number[] }
import fs from 'node:fs';
import autocannon from 'autocannon';

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
let i = 0;
let seq = 0;
const tag = `${process.pid}-${Date.now().toString(36)}`;
const base = new URL(spec.url);

const opts = {
  url: `${base.origin}`,
  connections: spec.connections ?? 10,
  duration: spec.duration ?? 10,
  pipelining: 1,
  method: spec.method ?? 'GET',
  headers: spec.headers ?? {},
  requests: [
    {
      method: spec.method ?? 'GET',
      setupRequest(req) {
        const n = i++;
        const path = spec.paths ? spec.paths[n % spec.paths.length] : base.pathname + base.search;
        let body = spec.bodies ? spec.bodies[n % spec.bodies.length] : spec.body;
        // Half of find-or-create calls name a new contact: every one of those must be unique.
        if (body && body.includes('__UNIQUE__')) body = body.replace('__UNIQUE__', `${tag}-${seq++}`);
        return { ...req, path, body };
      },
    },
  ],
};
const statuses = {};
const instance = autocannon(opts, (err, result) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  process.stdout.write(
    JSON.stringify({
      requests: result.requests.total,
      rps: result.requests.average,
      rps_total: result.requests.total / result.duration,
      p50_ms: result.latency.p50,
      p90_ms: result.latency.p90,
      p99_ms: result.latency.p99,
      mean_ms: result.latency.mean,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      statuses,
      bytes_per_req: result.requests.total ? result.throughput.total / result.requests.total : 0,
    }) + '\n',
  );
});
instance.on('response', (_client, statusCode) => {
  statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
});
