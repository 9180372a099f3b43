// The files of a drop: plain files and, for dropped folders, every file inside them (walked
// through the File and Directory Entries API that Chromium, Firefox and Safari share).

/** At most this many files are collected from one drop (a deep folder stops there). */
export const MAX_DROPPED_FILES = 2000;

type Entry = FileSystemEntry;

function isFile(e: Entry): e is FileSystemFileEntry {
	return e.isFile;
}
function isDir(e: Entry): e is FileSystemDirectoryEntry {
	return e.isDirectory;
}

async function walk(entry: Entry, out: File[]): Promise<void> {
	if (out.length >= MAX_DROPPED_FILES) return;
	if (isFile(entry)) out.push(await new Promise<File>((res, rej) => entry.file(res, rej)));
	else if (isDir(entry)) {
		const reader = entry.createReader();
		// readEntries hands out a folder in batches until it returns none
		for (;;) {
			const batch = await new Promise<Entry[]>((res, rej) => reader.readEntries(res, rej));
			if (!batch.length) break;
			for (const e of batch) await walk(e, out);
		}
	}
}

export async function droppedFiles(data: DataTransfer): Promise<File[]> {
	const entries = Array.from(data.items ?? [])
		.map((item) => (item.kind === 'file' ? item.webkitGetAsEntry?.() : null))
		.filter((e): e is Entry => !!e);
	if (!entries.length) return Array.from(data.files ?? []);
	const out: File[] = [];
	for (const e of entries) await walk(e, out);
	return out;
}
