/**
 * Node half of the HTML report (src/diagnostics/report.ts builds the text; this writes it) through
 * the project's one atomic writer (core/atomic_write.node.ts: a temporary file in the same folder,
 * then renamed over the target, so a reader never sees half a report and a failed write leaves the
 * old file in place).
 */
import { writeFileAtomicSync } from '../core/atomic_write.node.js';

/** Writes `text` (UTF-8) to `path` atomically. */
export function writeFileAtomic(path: string, text: string): void {
  writeFileAtomicSync(path, new TextEncoder().encode(text));
}
