/**
 * The one atomic file writer of deepwell (Node only): a process killed at any moment leaves either
 * the previous file or the complete new one at `path`, never a partial file.
 *
 * Steps: create a temporary file with a unique name in the same folder (exclusive create, so two
 * writers never share it), write all bytes, fsync it, rename it over the target (atomic on POSIX
 * within one file system, which is why the temporary file lives in the same folder), then fsync the
 * folder so the rename itself survives a power loss. On any error the temporary file is removed and
 * the error rethrown. A SIGKILL can leave a `.<name>.<random>.tmp` file behind (nothing can run at
 * that moment); it is never mistaken for the target.
 *
 * Reference: the write-fsync-rename-fsync(dir) protocol of e.g. npm's `write-file-atomic` and
 * SQLite/LevelDB; POSIX rename(2) atomicity.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The temporary file name used for `path`: hidden, in the same folder, unique per call. */
function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** fsyncs a folder so a rename in it is durable; platforms that cannot open folders (Windows) skip it. */
function fsyncFolderSync(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes `bytes` to `path` atomically (see the module docs). Resolves when the data and the rename
 * are on disk. Rejects with the file-system error (ENOENT for a missing folder, EACCES, ENOSPC, ...).
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const temp = tempPathFor(path);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(temp, 'wx');
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
      written += bytesWritten;
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, path);
  } catch (e) {
    if (handle !== undefined) await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw e;
  }
  fsyncFolderSync(dirname(path));
}

/** Synchronous `writeFileAtomic`, for exit handlers and synchronous callers. */
export function writeFileAtomicSync(path: string, bytes: Uint8Array): void {
  const temp = tempPathFor(path);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx');
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already failing: keep the original error
      }
    }
    try {
      unlinkSync(temp);
    } catch {
      // the temporary file may not exist
    }
    throw e;
  }
  fsyncFolderSync(dirname(path));
}
