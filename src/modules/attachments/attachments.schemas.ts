import { Type } from '@sinclair/typebox';

export const AttachmentParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const UploadParams = Type.Object({ id: Type.String({ format: 'uuid', description: 'The conversation' }) });

/** The downloaded bytes (documentation only: the answer is the file itself). */
export const FileResponse = {
  description: 'The file, as its detected type; raster images inline, everything else as a download',
  content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } },
};
