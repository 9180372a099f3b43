// "3 minutes ago" for the sessions list; the absolute time goes in a tooltip.

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
	['year', 365 * 24 * 3600],
	['month', 30 * 24 * 3600],
	['week', 7 * 24 * 3600],
	['day', 24 * 3600],
	['hour', 3600],
	['minute', 60]
];

export function relativeTime(ms: number, now = Date.now(), locale?: string): string {
	const secs = Math.round((ms - now) / 1000);
	if (Math.abs(secs) < 45) return 'just now';
	const fmt = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
	for (const [unit, size] of UNITS) {
		if (Math.abs(secs) >= size) return fmt.format(Math.round(secs / size), unit);
	}
	return fmt.format(Math.round(secs / 60), 'minute');
}

export function absoluteTime(ms: number, locale?: string): string {
	return new Date(ms).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}
