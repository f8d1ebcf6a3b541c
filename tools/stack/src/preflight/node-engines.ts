type Version = [number, number, number];

function parseVersion(text: string): Version | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  return match === null
    ? undefined
    : [Number(match[1]), Number(match[2]), Number(match[3])];
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

const comparatorPattern =
  /^(\^|~|>=|<=|>|<|=)?v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/;

/** One comparator of a range; undefined when it is not a form this reader knows. */
function satisfiesComparator(
  version: Version,
  comparator: string,
): boolean | undefined {
  const match = comparatorPattern.exec(comparator);
  if (match === null) return undefined;
  const [, operator = '=', majorText, minorText, patchText] = match;
  const wildcard = (part: string | undefined) =>
    part === undefined || part === 'x' || part === '*';
  const major = Number(majorText);
  const minor = wildcard(minorText) ? 0 : Number(minorText);
  const patch = wildcard(patchText) ? 0 : Number(patchText);
  const floor: Version = [major, minor, patch];
  const above = compare(version, floor);
  switch (operator) {
    case '^':
      return above >= 0 && version[0] === major;
    case '~':
      return above >= 0 && version[0] === major && version[1] === minor;
    case '>=':
      return above >= 0;
    case '>':
      return above > 0;
    case '<=':
      return above <= 0;
    case '<':
      return above < 0;
    default:
      return (
        version[0] === major &&
        (wildcard(minorText) || version[1] === minor) &&
        (wildcard(patchText) || version[2] === patch)
      );
  }
}

/**
 * Whether `version` satisfies an engines range such as `^20.19.0 || ^22.12.0 || ^24.0.0` (caret,
 * tilde, comparisons, x-ranges). Undefined for a range this reader does not understand.
 */
export function satisfiesRange(
  version: string,
  range: string,
): boolean | undefined {
  const parsed = parseVersion(version);
  if (parsed === undefined) return undefined;
  let understood = true;
  const any = range.split('||').some((alternative) => {
    const comparators = alternative.trim().split(/\s+/).filter(Boolean);
    if (comparators.length === 0) return true;
    return comparators.every((comparator) => {
      const result = satisfiesComparator(parsed, comparator);
      if (result === undefined) understood = false;
      return result === true;
    });
  });
  return any ? true : understood ? false : undefined;
}
