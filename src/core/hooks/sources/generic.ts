import { hayonSignatureHeader, verifyHayon } from '../signature.js';
import { bodyObject, idempotencyKey } from './payload.js';
import type { HookSource } from './source.js';

/**
 * Any JSON object, signed with hayon's scheme (`X-Hayon-Signature`): a CI job, a script, a form
 * service. The template reaches into the body itself (`{{title}}`, `{{links.0.href}}`); the
 * sender's `Idempotency-Key` header makes a repeat the same post. Media come from the hook's own
 * media template, not from here.
 */
export const genericSource: HookSource = {
  id: 'generic',
  signatureHeader: hayonSignatureHeader,
  verify: (req, secrets) => verifyHayon(req.headers(hayonSignatureHeader), req.body, secrets, req.nowMs),
  read(req, json) {
    const fields = bodyObject(json, 'a JSON object, like {"text": "…"}');
    return { kind: 'post', eventId: idempotencyKey(req), fields, media: [] };
  },
  defaultTemplate: '{{text}}',
  fields: null,
};
