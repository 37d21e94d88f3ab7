// Opens idle Server-Sent Events streams to Parley and holds them until stdin closes or it is
// killed. Prints `open N` on stdout once every stream has its response headers (and the first
// comment), then `failed K` if any could not be opened. Run with a raised `ulimit -n`.
//
//   node streams.mjs URL KEY N            N streams of URL, all with the one key (the inbox's)
//   node streams.mjs ORIGIN --targets F   one stream per line `PATH TOKEN` of F (widget visitors,
//                                         each on its own conversation with its own token)
import fs from 'node:fs';
import http from 'node:http';

const [url, second, third] = process.argv.slice(2);
const target = new URL(url);
/** [path, token] of each stream to open. */
const streams =
  second === '--targets'
    ? fs
        .readFileSync(third, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' '))
    : Array.from({ length: Number(third) }, () => [target.pathname, second]);
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
let open = 0;
let failed = 0;
const sockets = [];

function openOne([path, token]) {
  return new Promise((resolve) => {
    const req = http.request(
      { host: target.hostname, port: target.port, path, method: 'GET', agent, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } },
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
for (let i = 0; i < streams.length; i += BATCH) {
  await Promise.all(streams.slice(i, i + BATCH).map(openOne));
}
process.stdout.write(`open ${open}\n`);
if (failed) process.stdout.write(`failed ${failed}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
