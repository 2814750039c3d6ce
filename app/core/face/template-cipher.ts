// Face templates at rest: AES-256-GCM with a fresh 96-bit IV per template and the member id as
// associated data (a ciphertext moved onto another member fails to decrypt). Pure apart from
// node:crypto; the key comes from face-key.ts.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface SealedTemplate {
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

export function sealTemplate(key: Buffer, memberId: string, embedding: Float32Array): SealedTemplate {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(memberId, 'utf8'));
  const plain = Buffer.from(embedding.buffer, embedding.byteOffset, embedding.byteLength);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

/** Throws when the key, the member id or any byte of the sealed template is wrong. */
export function openTemplate(key: Buffer, memberId: string, sealed: SealedTemplate): Float32Array {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
  decipher.setAAD(Buffer.from(memberId, 'utf8'));
  decipher.setAuthTag(sealed.tag);
  const plain = Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  const out = new Float32Array(plain.byteLength / 4);
  new Uint8Array(out.buffer).set(plain);
  return out;
}
