// Mounting Observable Plot charts (or any built elements) into a host element as a Svelte 5
// attachment: `<div {@attach plotInto((host) => Plot.plot({...}))}></div>`.
import type { Attachment } from 'svelte/attachments';

/** Builds what the host shows; null (or []) leaves it empty. Reactive values it reads re-run it. */
export type PlotMaker = (host: HTMLElement) => Element | readonly Element[] | null;

/**
 * An attachment that puts `make(host)` into the host in place of its children, and removes those
 * elements again on cleanup. Attachments run in an effect, so when a value `make` read changes the
 * old elements are removed and `make` runs again.
 */
export const plotInto =
	(make: PlotMaker): Attachment<HTMLElement> =>
	(host) => {
		const made = make(host);
		const els: readonly Element[] = made === null ? [] : Array.isArray(made) ? made : [made as Element];
		host.replaceChildren(...els);
		return () => els.forEach((e) => e.remove());
	};
