// Save text as a file via a temporary object URL (works offline; no server round trip).

export function downloadText(fileName: string, text: string, type = 'application/json'): void {
	const url = URL.createObjectURL(new Blob([text], { type }));
	const a = document.createElement('a');
	a.href = url;
	a.download = fileName;
	a.rel = 'noopener';
	document.body.append(a);
	a.click();
	a.remove();
	// Revoke later: some browsers start the download asynchronously.
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
