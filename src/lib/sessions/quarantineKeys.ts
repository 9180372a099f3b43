// Where a damaged session is set aside in the meta store: one entry per stored key. A string
// key K goes under "quarantine:K", as always; any other key (a number, a date…) under the array
// key [QUARANTINE, key], so that the records under 1 and "1" never share (and lose) one entry.
const QUARANTINE = 'quarantine:';

export function quarantineKey(key: IDBValidKey): IDBValidKey {
	return typeof key === 'string' ? QUARANTINE + key : [QUARANTINE, key];
}

/** The original key of a quarantine entry's key; undefined for any other meta key. */
export function quarantinedKey(k: IDBValidKey): IDBValidKey | undefined {
	if (typeof k === 'string') return k.startsWith(QUARANTINE) ? k.slice(QUARANTINE.length) : undefined;
	return Array.isArray(k) && k.length === 2 && k[0] === QUARANTINE ? k[1] : undefined;
}

/** A key for people: strings as they are, others say what they are ("1 (a number key)"). */
export function displayId(key: IDBValidKey): string {
	if (typeof key === 'string') return key;
	const kind = typeof key === 'number' ? 'number' : key instanceof Date ? 'date' : Array.isArray(key) ? 'list' : 'binary';
	return `${String(key)} (a ${kind} key)`;
}
