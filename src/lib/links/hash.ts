// A hash with a malformed %-escape (a hand-edited or cut-off link: "#s=%E0%A4%A") makes
// SvelteKit's router throw an uncaught URIError while it starts (it decodes the hash to find
// an anchor). repairHash turns every "%" into "%25", so the hash decodes to exactly the text
// that was typed and the link decoder refuses it with a message like any other damaged link.

/** The hash to use instead of `hash` (with its "#"), or null when it decodes fine. */
export function repairHash(hash: string): string | null {
	try {
		decodeURIComponent(hash);
		return null;
	} catch {
		return hash.replaceAll('%', '%25');
	}
}
