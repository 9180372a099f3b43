// Typed storage errors, so the UI can say something useful instead of "DOMException".
// Kept apart from store.ts so autosave (and its tests) need no IndexedDB.

export class StorageFullError extends Error {
	override name = 'StorageFullError';
	constructor(cause?: unknown) {
		super(
			'The browser refused to save: its storage for this site is full. ' +
				'Delete or export old sessions (Sessions page) to free space; your latest changes are kept in this tab until then.',
			{ cause }
		);
	}
}

/** Another tab (or window) saved this session after we last read it. */
export class ConflictError extends Error {
	override name = 'ConflictError';
	constructor(
		readonly id: string,
		readonly expectedUpdatedAt: number,
		/** undefined when the session was deleted meanwhile. */
		readonly actualUpdatedAt: number | undefined,
		readonly actualWriter: string | undefined
	) {
		super(
			actualUpdatedAt === undefined
				? 'This session was deleted in another tab.'
				: 'This session was changed in another tab since it was opened here. Reload it to see those changes, or save a copy.'
		);
	}
}

/**
 * A stored record cannot be opened: damaged (then moved to quarantine, `quarantined` true) or
 * written by a newer app version (left in place so that version can still open it).
 */
export class UnreadableSessionError extends Error {
	override name = 'UnreadableSessionError';
	constructor(
		readonly id: string,
		readonly reason: string,
		readonly quarantined: boolean
	) {
		super(quarantined ? `This session is damaged and was set aside: ${reason}` : `This session cannot be opened: ${reason}`);
	}
}

/** A record we were asked to write does not pass the schema (a programming error upstream). */
export class InvalidSessionError extends Error {
	override name = 'InvalidSessionError';
	constructor(readonly reason: string) {
		super(`Refusing to save an invalid session: ${reason}`);
	}
}

/** QuotaExceededError (all browsers; legacy code 22) or Firefox's NS_ERROR_DOM_QUOTA_REACHED (1014). */
export function isQuotaError(e: unknown): boolean {
	if (typeof e !== 'object' || e === null) return false;
	const { name, code } = e as { name?: unknown; code?: unknown };
	return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22 || code === 1014;
}

/** Rethrows quota errors as StorageFullError, anything else unchanged. */
export function mapStorageError(e: unknown): never {
	if (isQuotaError(e)) throw new StorageFullError(e);
	throw e;
}
