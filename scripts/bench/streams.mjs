// Opens N idle Server-Sent Events streams to Parley and holds them until stdin closes or it is
// killed. Prints `open N` on stdout once every stream has its response headers (and the first
// comment), then `failed K` if any could not be opened. Run with a raised `ulimit -n`.
import http from 'node:http';

const [url, key, countArg] = process.argv.slice(2);
const total = Number(countArg);
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const target = new URL(url);
let open = 0;
let failed = 0;
const sockets = [];

function openOne() {
  return new Promise((resolve) => {
    const req = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'GET', agent, headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' } },
      (res) => {
        if (res.statusCode !== 200) {
          failed++;
          res.resume();
          return resolve();
        }
        res.once('data', () => {
          open++;
          resolve();
        });
        res.on('data', () => {});
        res.on('error', () => {});
        sockets.push(res);
      },
    );
    req.on('error', () => {
      failed++;
      resolve();
    });
    req.end();
  });
}

const BATCH = 200;
for (let i = 0; i < total; i += BATCH) {
  await Promise.all(Array.from({ length: Math.min(BATCH, total - i) }, openOne));
}
process.stdout.write(`open ${open}\n`);
if (failed) process.stdout.write(`failed ${failed}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
