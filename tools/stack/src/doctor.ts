import { runPreflight } from './preflight/preflight';

/* `npm run doctor`: the preflight of `npm start` alone; exit code 1 when something is missing. */

runPreflight('doctor').then(
  (ok) => {
    process.exitCode = ok ? 0 : 1;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
