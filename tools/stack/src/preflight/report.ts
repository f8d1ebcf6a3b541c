import type { CheckResult, Fix } from './checks';

function fixLines(fix: Fix): string[] {
  if ('any' in fix) return [`      fix: ${fix.any}`];
  return [
    `      Debian/Ubuntu: ${fix.debian}`,
    `      macOS:         ${fix.macos}`,
  ];
}

/** The preflight's report: every check, then a summary line naming how many things to fix. */
export function formatReport(results: readonly CheckResult[]): string {
  const lines = results.flatMap((result) => [
    `  ${result.ok ? '✓' : '✗'} ${result.summary}`,
    ...(result.details ?? []).map((detail) => `      ${detail}`),
    ...(result.ok || result.fix === undefined ? [] : fixLines(result.fix)),
  ]);
  const problems = results.filter((result) => !result.ok).length;
  const headline =
    problems === 0
      ? 'preflight: everything needed is here'
      : `preflight: ${problems} thing${problems === 1 ? '' : 's'} to fix before the stack can start (nothing was started)`;
  return [headline, ...lines].join('\n');
}
