import type { FastifyRequest } from 'fastify';
import { AppError, badRequest, isAppError } from '../../shared/errors/errors.js';
import type { AttachmentRow } from './attachments.repository.js';
import { MAX_ATTACHMENTS_PER_MESSAGE, tooLarge, type AttachmentsUseCases } from './attachments.usecases.js';

/** The form field files are sent in. */
export const FILE_FIELD = 'file';

interface UploadTarget {
  accountId: string;
  conversationId: string;
  uploadedBy: string | null;
}

/**
 * Reads a multipart upload one file at a time and stores each as it completes, counting the
 * bytes as they arrive: no more than the limit plus one byte of a file is ever held, and a file
 * over the limit is 413 at that byte. Up to 10 files in the field `file`; other fields are
 * ignored. A failure part-way removes the files of this request already stored.
 */
export async function receiveUploads(
  request: FastifyRequest,
  attachments: Pick<AttachmentsUseCases, 'saveFile' | 'discard' | 'maxBytes'>,
  target: UploadTarget,
): Promise<AttachmentRow[]> {
  if (!request.isMultipart()) {
    throw badRequest(`Send the files as multipart/form-data, in the field "${FILE_FIELD}"`, { [FILE_FIELD]: ['is missing'] });
  }
  const { maxBytes } = attachments;
  const saved: AttachmentRow[] = [];
  try {
    const files = request.files({
      limits: { fileSize: maxBytes + 1, files: MAX_ATTACHMENTS_PER_MESSAGE, fields: 20, fieldSize: 4096, parts: 40 },
      throwFileSizeLimit: false,
    });
    for await (const part of files) {
      if (part.fieldname !== FILE_FIELD) {
        part.file.resume();
        throw badRequest(`Send the files in the field "${FILE_FIELD}" (got "${part.fieldname}")`, { [FILE_FIELD]: ['is missing'] });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of part.file as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) throw tooLarge(maxBytes);
        chunks.push(chunk);
      }
      if (part.file.truncated) throw tooLarge(maxBytes);
      saved.push(
        await attachments.saveFile({
          ...target,
          filename: part.filename,
          bytes: Buffer.concat(chunks, size),
          declaredType: part.mimetype,
        }),
      );
    }
  } catch (err) {
    // The rest of the body is read and dropped: left piped into the stopped parser, the request
    // would never end, and its connection would hold a graceful shutdown open.
    request.raw.unpipe();
    request.raw.resume();
    await attachments.discard(saved).catch(() => {});
    throw uploadError(err, maxBytes);
  }
  if (saved.length === 0) throw badRequest(`No file was sent: attach one or more in the field "${FILE_FIELD}"`, { [FILE_FIELD]: ['is missing'] });
  return saved;
}

/** The parser's own failures in plain words, in the error envelope. */
function uploadError(err: unknown, maxBytes: number): unknown {
  if (isAppError(err)) return err;
  const code = (err as { code?: string } | null)?.code;
  if (code === 'FST_FILES_LIMIT') {
    return new AppError('PAYLOAD_TOO_LARGE', `At most ${MAX_ATTACHMENTS_PER_MESSAGE} files per upload`, { [FILE_FIELD]: [`at most ${MAX_ATTACHMENTS_PER_MESSAGE} files`] });
  }
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge(maxBytes);
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') return new AppError('PAYLOAD_TOO_LARGE', 'Too many parts in the upload');
  return badRequest('The multipart body could not be read');
}
