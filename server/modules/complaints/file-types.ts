// What a file is, decided by its bytes (file-type reads the magic numbers), never by its name or declared type.
import { fileTypeFromFile } from 'file-type';

export type AttachmentMime = 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';

export const EXTENSIONS: Record<AttachmentMime, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
};

const isAllowed = (mime: string): mime is AttachmentMime => Object.hasOwn(EXTENSIONS, mime);

/** The allowed type a file's content shows, or null (unknown, text such as HTML, or a type we do not take: ZIP, EXE). */
export async function detectMime(path: string): Promise<AttachmentMime | null> {
  const found = await fileTypeFromFile(path);
  return found && isAllowed(found.mime) ? found.mime : null;
}

/** A display name only: never a path. Directory parts, control characters and excess length go. */
export function cleanFileName(name: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  const base = (name ?? '')
    .split(/[\\/]/)
    .pop()!
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '')
    .replace(/^\.+/, '')
    .trim();
  return [...base].slice(0, 100).join('') || '附件';
}
