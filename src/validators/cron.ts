/**
 * Cron schedules and time zones as the Kubernetes CronJob controller reads them, checked before
 * anything is deployed (a bad schedule is otherwise only a failed sync). The controller parses
 * `spec.schedule` with robfig/cron's standard parser: five fields (minute, hour, day of month,
 * month, day of week) or a macro, and refuses TZ= / CRON_TZ= (the time zone has its own field).
 * `spec.timeZone` is an IANA name that Go's time.LoadLocation finds.
 */

const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names accepted for values (JAN = 1, SUN = 0), case-insensitive. */
  readonly names?: readonly string[];
  readonly namesFrom?: number;
  /** `?` stands for `*` in the day fields. */
  readonly question?: boolean;
}

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, namesFrom: 0, question: true },
];

function value(text: string, f: Field): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const i = f.names?.indexOf(text.toUpperCase()) ?? -1;
  return i >= 0 ? i + (f.namesFrom ?? 0) : undefined;
}

/** One comma-separated part of a field: `*`, `n`, `a-b`, each with an optional `/step`. */
function partProblem(part: string, f: Field): string | undefined {
  const [range, step, extra] = part.split('/');
  if (extra !== undefined || range === undefined || range === '') return `"${part}" in the ${f.name} field is not a value, range or step`;
  if (step !== undefined && (!/^\d+$/.test(step) || Number(step) === 0)) return `step "${step}" in the ${f.name} field must be a positive number`;
  if (range === '*' || (range === '?' && f.question)) return undefined;
  const bounds = range.split('-');
  if (bounds.length > 2) return `"${range}" in the ${f.name} field is not a range`;
  const nums = bounds.map((b) => value(b, f));
  if (nums.some((n) => n === undefined)) return `"${range}" in the ${f.name} field is not a number${f.names ? ' or name' : ''}`;
  for (const n of nums as number[]) if (n < f.min || n > f.max) return `${n} is outside the ${f.name} field's ${f.min}-${f.max}`;
  if (nums.length === 2 && nums[0]! > nums[1]!) return `range ${range} in the ${f.name} field runs backwards`;
  return undefined;
}

/** Why the CronJob controller would refuse this schedule, or undefined when it parses. */
export function cronScheduleProblem(schedule: string): string | undefined {
  const s = schedule.trim();
  if (/^(CRON_)?TZ=/.test(s)) return 'the schedule cannot carry TZ= or CRON_TZ=: set cronjob.timeZone instead';
  if (s.startsWith('@')) return MACROS.includes(s) ? undefined : s.startsWith('@every') ? '@every is not a schedule Kubernetes accepts: write five cron fields' : `unknown macro ${s} (use ${MACROS.join(', ')})`;
  const fields = s.split(/\s+/);
  if (fields.length !== 5) return `a schedule has 5 fields (minute hour day-of-month month day-of-week), this one has ${fields.length}`;
  for (let i = 0; i < 5; i++) {
    for (const part of fields[i]!.split(',')) {
      const problem = partProblem(part, FIELDS[i]!);
      if (problem) return problem;
    }
  }
  return undefined;
}

/**
 * Why the time zone is not an IANA name Kubernetes finds, or undefined. The name must have the
 * IANA shape (Area/Location, or UTC and the like) and be known to the ICU time zone data: Go
 * loads the same tz database, where names are case-sensitive ("europe/berlin" is refused).
 */
export function timeZoneProblem(zone: string): string | undefined {
  if (!/^[A-Z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(zone)) return `"${zone}" is not an IANA time zone name such as Europe/Berlin or Etc/UTC`;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return `"${zone}" is not a time zone of the IANA database`;
  }
  // ICU ignores case, Go does not.
  if (resolved !== zone && resolved.toLowerCase() === zone.toLowerCase()) return `time zone names are case-sensitive: write ${resolved}`;
  return undefined;
}
