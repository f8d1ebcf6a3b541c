// Preloaded (node --require) into the apps `npm run upload-path` measures: V8's precise coverage
// with call counts. Each trigger file `take-<n>` that appears in UPLOAD_PATH_DIR writes the counts
// since the last one to `<UPLOAD_PATH_NAME>-<n>.json` and resets them. A file, not a signal: Nest's
// shutdown hooks listen to SIGUSR2 and most others.
const inspector = require('node:inspector');
const fs = require('node:fs');

const dir = process.env.UPLOAD_PATH_DIR;
const name = process.env.UPLOAD_PATH_NAME;
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.startPreciseCoverage', {
  callCount: true,
  detailed: false,
});
let next = 0;
let taking = false;
setInterval(() => {
  if (taking || !fs.existsSync(`${dir}/take-${next}`)) return;
  taking = true;
  session.post('Profiler.takePreciseCoverage', (error, taken) => {
    const result = error ? { error: String(error) } : taken.result;
    fs.writeFileSync(`${dir}/${name}-${next}.json`, JSON.stringify(result));
    next += 1;
    taking = false;
  });
}, 20).unref();
