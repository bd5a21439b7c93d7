// Minimal multipart/form-data parser for uploads (`payload_json` + `files[n]`), as undici's FormData
// serialises them. Splitting on the boundary is enough for well-formed client bodies.
import type { UploadedFile } from './types.js';

export interface MultipartBody {
  fields: Record<string, string>;
  files: UploadedFile[];
}

export function boundaryOf(contentType: string): string | null {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2] ?? '').trim() : null;
}

// The WHATWG FormData serialiser escapes only `"`, CR and LF in names (as %22, %0D, %0A).
function headerParam(header: string, name: string): string | null {
  const match = new RegExp(`\\b${name}="([^"]*)"`, 'i').exec(header);
  if (!match || match[1] === undefined) return null;
  return match[1].replace(/%22/g, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n');
}

export function parseMultipart(body: Buffer, boundary: string): MultipartBody {
  const delimiter = Buffer.from(`--${boundary}`);
  const result: MultipartBody = { fields: {}, files: [] };
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    // "--" right after a delimiter closes the body.
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    // Each part is CRLF, headers, CRLF CRLF, content, CRLF.
    const part = body.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const content = part.subarray(headerEnd + 4);
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const name = headerParam(disposition, 'name') ?? '';
      const filename = headerParam(disposition, 'filename');
      if (filename !== null) {
        const contentType = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim() ?? null;
        result.files.push({ field: name, filename, contentType, bytes: Buffer.from(content) });
      } else {
        result.fields[name] = content.toString('utf8');
      }
    }
    start = next;
  }
  return result;
}
