// Preloaded into the Prisma CLI: its Wasm engine leaves long timers that keep the process alive
// for 10–60 s after the work is done.
const originalSetTimeout = global.setTimeout;
global.setTimeout = function unrefLongTimers(fn, ms, ...rest) {
  const timer = originalSetTimeout(fn, ms, ...rest);
  if (
    typeof ms === 'number' &&
    ms >= 1000 &&
    timer &&
    typeof timer.unref === 'function'
  )
    timer.unref();
  return timer;
};
const originalSetInterval = global.setInterval;
global.setInterval = function unrefIntervals(fn, ms, ...rest) {
  const timer = originalSetInterval(fn, ms, ...rest);
  if (timer && typeof timer.unref === 'function') timer.unref();
  return timer;
};
